-- Event ids are checked to be distinct within an append (by the client and again by the gate), but
-- the gate cannot see the streams of other partitions, so a client can reuse an id across appends and
-- the log then holds both events. The index mirrors the log: with a unique constraint the indexer
-- would stop for good at the second one. Lookups by event id keep an index.
ALTER TABLE events DROP CONSTRAINT events_event_id_unique;
CREATE INDEX events_event_id ON events (event_id);
