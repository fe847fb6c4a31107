-- Snapshots of aggregates: the state of a stream as of a version, in the registry wire format.
CREATE TABLE snapshots (
    stream_id  text        NOT NULL,
    version    bigint      NOT NULL,
    schema_id  integer     NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_id, version)
);
