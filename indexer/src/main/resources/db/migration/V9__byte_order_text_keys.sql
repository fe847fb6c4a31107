-- Stream ids, categories and event types are identifiers, not prose: compare them byte by byte
-- (COLLATE "C") instead of by the database's locale. Every insert walks three B-trees keyed by them,
-- and a locale comparison (strcoll, after copying both values) costs several times a memcmp; equality
-- means the same under both, and the one ordering by a key (listing streams) becomes plain byte order.
ALTER TABLE events
    ALTER COLUMN stream_id TYPE text COLLATE "C",
    ALTER COLUMN category TYPE text COLLATE "C",
    ALTER COLUMN event_type TYPE text COLLATE "C";
ALTER TABLE streams
    ALTER COLUMN stream_id TYPE text COLLATE "C",
    ALTER COLUMN category TYPE text COLLATE "C";
ALTER TABLE snapshots
    ALTER COLUMN stream_id TYPE text COLLATE "C";
