package dev.eventstore.indexer;

import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.StreamMarker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the gate's lifecycle markers to the index, in the batch's transaction (so exactly once, and a
 * rebuilt index agrees): a deletion or truncation deletes the stream's events before the marker's
 * {@code truncateBefore} and records it in the streams table; metadata records the retention. Then the
 * retention of every stream the batch touched is enforced: events beyond {@code max_count} or older
 * than {@code max_age_ms} are deleted ({@link #sweepExpired} does the latter for all streams, as time passes).
 */
final class StreamLifecycleWriter {

    private final String schema;

    StreamLifecycleWriter(String schema) {
        this.schema = schema;
    }

    /**
     * @param events the batch's events, already inserted, to tell whether a deletion was followed by an
     *     append in the same batch (the stream then lives again)
     */
    void apply(Connection connection, List<LoggedMarker> markers, List<IndexedEvent> events) throws SQLException {
        if (markers.isEmpty()) {
            return;
        }
        Map<String, Long> lastEventOffset = new HashMap<>();
        for (IndexedEvent event : events) {
            lastEventOffset.merge(event.streamId(), event.offset(), Math::max);
        }
        for (LoggedMarker logged : markers) {
            StreamMarker marker = logged.marker();
            boolean appendedAfter = lastEventOffset.getOrDefault(marker.streamId(), -1L) > logged.offset();
            upsertStream(connection, logged, appendedAfter);
            if (marker.kind() != StreamMarker.Kind.METADATA) {
                deleteBefore(connection, marker.streamId(), marker.truncateBefore());
            }
        }
        enforceRetention(connection, markers.stream().map(m -> m.marker().streamId()).distinct().toList());
    }

    private void upsertStream(Connection connection, LoggedMarker logged, boolean appendedAfter) throws SQLException {
        StreamMarker marker = logged.marker();
        String onConflict = switch (marker.kind()) {
            case DELETED -> "deleted = EXCLUDED.deleted, truncated_before = GREATEST(streams.truncated_before, EXCLUDED.truncated_before)";
            case TOMBSTONED -> "deleted = true, tombstoned = true,"
                    + " truncated_before = GREATEST(streams.truncated_before, EXCLUDED.truncated_before)";
            case TRUNCATED -> "truncated_before = GREATEST(streams.truncated_before, EXCLUDED.truncated_before)";
            case METADATA -> "max_count = EXCLUDED.max_count, max_age_ms = EXCLUDED.max_age_ms";
        };
        String sql = "INSERT INTO " + schema + ".streams (stream_id, category, version, created_at, updated_at, deleted,"
                + " tombstoned, truncated_before, max_count, max_age_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (stream_id) DO UPDATE SET " + onConflict + ","
                // The batch's events were upserted first: a marker before them in the log must not move the time back.
                + " updated_at = GREATEST(streams.updated_at, EXCLUDED.updated_at)";
        boolean deletes = marker.kind() == StreamMarker.Kind.DELETED || marker.kind() == StreamMarker.Kind.TOMBSTONED;
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            Timestamp at = new Timestamp(logged.recordedAtMillis());
            upsert.setString(1, marker.streamId());
            upsert.setString(2, EnvelopeHeaders.category(marker.streamId()));
            upsert.setLong(3, marker.version());
            upsert.setTimestamp(4, at);
            upsert.setTimestamp(5, at);
            upsert.setBoolean(6, deletes && !appendedAfter);
            upsert.setBoolean(7, marker.kind() == StreamMarker.Kind.TOMBSTONED);
            upsert.setLong(8, marker.kind() == StreamMarker.Kind.METADATA ? 0 : marker.truncateBefore());
            setOptional(upsert, 9, marker.maxCount());
            setOptional(upsert, 10, marker.maxAgeMillis());
            upsert.executeUpdate();
        }
    }

    private void deleteBefore(Connection connection, String streamId, long truncateBefore) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + schema + ".events WHERE stream_id = ? AND version < ?")) {
            delete.setString(1, streamId);
            delete.setLong(2, truncateBefore);
            delete.executeUpdate();
        }
    }

    /** Deletes the events of these streams that their retention no longer keeps. */
    void enforceRetention(Connection connection, Collection<String> streamIds) throws SQLException {
        if (streamIds.isEmpty()) {
            return;
        }
        String sql = "DELETE FROM " + schema + ".events e USING " + schema + ".streams s"
                + " WHERE s.stream_id = ANY(?) AND (s.max_count IS NOT NULL OR s.max_age_ms IS NOT NULL)"
                + " AND e.stream_id = s.stream_id AND " + EXPIRED;
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setArray(1, connection.createArrayOf("text", streamIds.toArray()));
            delete.executeUpdate();
        }
    }

    /** Deletes the expired events of every stream with retention: max age expires events as time passes. */
    int sweepExpired(Connection connection) throws SQLException {
        String sql = "DELETE FROM " + schema + ".events e USING " + schema + ".streams s"
                + " WHERE (s.max_count IS NOT NULL OR s.max_age_ms IS NOT NULL) AND e.stream_id = s.stream_id AND " + EXPIRED;
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            return delete.executeUpdate();
        }
    }

    /** An event {@code e} its stream {@code s} no longer keeps; the reader's filter says the same (EventReader). */
    private static final String EXPIRED = "(e.version <= s.version - s.max_count"
            + " OR e.recorded_at < now() - s.max_age_ms * interval '1 millisecond')";

    private static void setOptional(PreparedStatement statement, int index, java.util.OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.getAsLong());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}
