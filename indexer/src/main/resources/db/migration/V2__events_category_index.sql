-- Read by category ($ce-style) in global order.
CREATE INDEX events_category_position ON events (category, global_position);
