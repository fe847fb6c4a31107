-- A stream's lifecycle as the gate's markers on the log set it (see StreamMarker): soft-deleted,
-- tombstoned (hard-deleted), truncated before a version, and its retention. The events a deletion or a
-- truncation hides are deleted from the events table in the same transaction as the marker; the log
-- keeps them.
ALTER TABLE streams
    ADD COLUMN deleted          boolean NOT NULL DEFAULT false,
    ADD COLUMN tombstoned       boolean NOT NULL DEFAULT false,
    ADD COLUMN truncated_before bigint  NOT NULL DEFAULT 0,
    ADD COLUMN max_count        bigint,
    ADD COLUMN max_age_ms       bigint;

-- The few streams with retention, for the clean-up of expired events.
CREATE INDEX streams_with_retention ON streams (stream_id) WHERE max_count IS NOT NULL OR max_age_ms IS NOT NULL;
