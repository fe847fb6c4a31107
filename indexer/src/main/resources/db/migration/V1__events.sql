-- The index of every event of the log, in the order the indexer committed them.
-- global_position is assigned at insert; readers of $all page by it (see the indexer's docs on why
-- a poller never skips a position).
CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL,
    category        text        NOT NULL,
    event_type      text        NOT NULL,
    event_id        uuid        NOT NULL,
    schema_id       integer     NOT NULL,
    payload         bytea       NOT NULL,
    data            jsonb,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    correlation_id  text,
    causation_id    text,
    request_id      text,
    kafka_topic     text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    recorded_at     timestamptz NOT NULL,
    indexed_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version),
    CONSTRAINT events_event_id_unique UNIQUE (event_id),
    CONSTRAINT events_log_position_unique UNIQUE (kafka_topic, kafka_partition, kafka_offset)
);
