-- One row per stream: its current (indexed) version.
CREATE TABLE streams (
    stream_id   text        PRIMARY KEY,
    category    text        NOT NULL,
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
