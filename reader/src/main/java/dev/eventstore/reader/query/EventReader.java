package dev.eventstore.reader.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.reader.RecordedEvent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Reads events from the PostgreSQL index. Reads reflect what the indexer has committed, which trails
 * the log by the index lag.
 */
public final class EventReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "global_position, stream_id, version, event_id, event_type, payload, data::text,"
            + " metadata::text, correlation_id, causation_id, recorded_at, kafka_partition, kafka_offset";

    private final IndexDatabase database;

    public EventReader(IndexDatabase database) {
        this.database = database;
    }

    /**
     * Reads up to {@code limit} events of a stream in version order, starting at {@code fromVersion}
     * (inclusive): upwards for {@link ReadDirection#FORWARD}, downwards for {@link ReadDirection#BACKWARD}.
     * An unknown stream reads as empty.
     *
     * @throws ReadException when the index cannot be queried
     */
    public List<RecordedEvent> readStream(String streamId, long fromVersion, ReadDirection direction, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String sql = "SELECT " + COLUMNS + " FROM " + database.schema() + ".events WHERE stream_id = ? AND version "
                + (direction == ReadDirection.FORWARD ? ">= ? ORDER BY version ASC" : "<= ? ORDER BY version DESC")
                + " LIMIT ?";
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, streamId);
            select.setLong(2, fromVersion);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<RecordedEvent> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(toEvent(rows));
                }
                return events;
            }
        } catch (SQLException e) {
            throw new ReadException("reading stream " + streamId + " failed: " + e.getMessage(), e);
        }
    }

    /** The stream's indexed version and timestamps, or empty when the index has no event of it. */
    public Optional<StreamInfo> streamInfo(String streamId) {
        String sql = "SELECT version, created_at, updated_at FROM " + database.schema() + ".streams WHERE stream_id = ?";
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, streamId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new StreamInfo(streamId, rows.getLong(1), rows.getTimestamp(2).toInstant(),
                                rows.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ReadException("reading stream info of " + streamId + " failed: " + e.getMessage(), e);
        }
    }

    private static RecordedEvent toEvent(ResultSet rows) throws SQLException {
        return new RecordedEvent(rows.getString("stream_id"), rows.getLong("version"),
                UUID.fromString(rows.getString("event_id")), rows.getString("event_type"), rows.getBytes("payload"),
                metadata(rows.getString("metadata")), Optional.ofNullable(rows.getString("correlation_id")),
                Optional.ofNullable(rows.getString("causation_id")), rows.getTimestamp("recorded_at").toInstant(),
                OptionalLong.of(rows.getLong("global_position")),
                new RecordedEvent.LogPosition(rows.getInt("kafka_partition"), rows.getLong("kafka_offset")),
                Optional.ofNullable(rows.getString("data")));
    }

    private static Map<String, String> metadata(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new SQLException("metadata column is not a JSON object of strings: " + json, e);
        }
    }
}
