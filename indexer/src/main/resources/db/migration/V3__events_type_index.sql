-- Read by event type in global order.
CREATE INDEX events_type_position ON events (event_type, global_position);
