-- The next Kafka offset to index per partition, written in the same transaction as the events:
-- the index always equals a prefix of the log, and a restarted indexer resumes exactly there.
CREATE TABLE indexer_positions (
    kafka_topic     text        NOT NULL,
    kafka_partition integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kafka_topic, kafka_partition)
);
