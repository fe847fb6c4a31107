package dev.eventstore.reader.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Reads events from the PostgreSQL index: a stream by version, or {@code $all}, a category or an event
 * type by global position. Reads reflect what the indexer has committed, which trails the log by the
 * index lag; {@link #awaitVersion} waits for an append to become readable (read-your-writes).
 *
 * <p>{@code $all} in global-position order is the store's one total order, and it is safe to poll:
 * the indexer makes positions visible in the order it assigns them, so a reader that pages from the
 * last position it saw never skips an event (positions may have holes; they are never filled later).
 *
 * <p>An event's JSON ({@code RecordedEvent.dataJson}) comes from the index's {@code data} column when the indexer
 * keeps it (the setting {@code index.data.json}), else it is rendered from the payload with the registry
 * ({@link PayloadJson}), the same text either way; a reader given no registry has only the column's.
 */
public final class EventReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The columns of an event row; the seventh is the payload's JSON rendering or, left out, a null. */
    private static final String COLUMNS = "global_position, stream_id, version, event_id, event_type, payload, %s,"
            + " metadata::text, correlation_id, causation_id, recorded_at, kafka_partition, kafka_offset, degraded";

    private static final String STREAM_COLUMNS = "stream_id, version, created_at, updated_at, deleted, tombstoned,"
            + " truncated_before, max_count, max_age_ms";

    private final IndexDatabase database;
    private final String columns;
    /** Renders the JSON of rows whose {@code data} column is null; null: the column's JSON only. */
    private final PayloadJson render;
    private final HikariDataSource connections;
    private final IndexWatch watch;
    /** Leaves out the events of row {@code e} that its stream's retention no longer keeps (the index deletes them later). */
    private final String kept;

    /**
     * A reader whose events carry the JSON the index's {@code data} column holds: none unless the indexer keeps
     * it ({@code index.data.json}). {@link #EventReader(IndexDatabase, PayloadJson)} renders it otherwise.
     */
    public EventReader(IndexDatabase database) {
        this(database, DataJson.INCLUDED);
    }

    /** A reader whose events carry their payload's JSON, from the index or rendered with {@code render}. */
    public EventReader(IndexDatabase database, PayloadJson render) {
        this(database, DataJson.INCLUDED, IndexWatch.RECHECK, render);
    }

    public EventReader(IndexDatabase database, DataJson dataJson) {
        this(database, dataJson, IndexWatch.RECHECK, null);
    }

    /**
     * @param recheck how often waiting reads check the index without a notification (a safety net)
     * @param render renders the JSON of a row without it; null for the column's JSON only
     */
    EventReader(IndexDatabase database, DataJson dataJson, Duration recheck, PayloadJson render) {
        this.database = database;
        this.columns = COLUMNS.formatted(dataJson == DataJson.INCLUDED ? "data::text" : "NULL::text");
        this.render = dataJson == DataJson.INCLUDED ? render : null;
        this.connections = ReadPool.open(database, "reader", true);
        this.watch = new IndexWatch(database, recheck);
        this.kept = "NOT EXISTS (SELECT 1 FROM " + database.table("streams") + " s WHERE s.stream_id = e.stream_id"
                + " AND (s.max_count IS NOT NULL OR s.max_age_ms IS NOT NULL) AND (e.version <= s.version - s.max_count"
                + " OR e.recorded_at < now() - s.max_age_ms * interval '1 millisecond'))";
    }

    /**
     * Reads up to {@code limit} events of a stream in version order, starting at {@code fromVersion}
     * (inclusive): upwards for {@link ReadDirection#FORWARD}, downwards for {@link ReadDirection#BACKWARD}
     * (from {@code Long.MAX_VALUE} to start at the end). An unknown stream reads as empty. Events a truncation
     * removed, or the stream's retention (max count, max age) no longer keeps, are not returned.
     *
     * @throws StreamDeletedException when the stream is deleted
     * @throws ReadException when the index cannot be queried
     */
    public List<RecordedEvent> readStream(String streamId, long fromVersion, ReadDirection direction, int limit) {
        requirePositive(limit);
        String sql = "SELECT " + columns + " FROM " + database.table("events") + " e WHERE stream_id = ? AND " + kept
                + " AND version " + (direction == ReadDirection.FORWARD ? ">= ? ORDER BY version ASC" : "<= ? ORDER BY version DESC")
                + " LIMIT ?";
        List<RecordedEvent> events = query("reading stream " + streamId, sql, streamId, fromVersion, limit);
        if (events.isEmpty()) {
            // A deletion removed the stream's events in the transaction that marked it deleted: only an empty read asks.
            streamInfo(streamId).filter(StreamInfo::deleted).ifPresent(info -> {
                throw new StreamDeletedException(streamId, info.tombstoned(), info.version());
            });
        }
        return events;
    }

    /**
     * The events of a stream from {@code fromVersion} in the given direction, read lazily a page at a
     * time: a stream of any length is iterated in the memory of one page.
     */
    public Stream<RecordedEvent> iterateStream(String streamId, long fromVersion, ReadDirection direction, int pageSize) {
        return Pages.lazily(fromVersion, pageSize, (from, size) -> readStream(streamId, from, direction, size),
                event -> direction == ReadDirection.FORWARD ? event.version() + 1 : event.version() - 1);
    }

    /**
     * Reads up to {@code limit} events of {@code $all}, or of a category or event type, in global-position
     * order from {@code fromPosition} (inclusive; 0 or 1 for the first, {@code Long.MAX_VALUE} with
     * {@link ReadDirection#BACKWARD} for the last).
     */
    public List<RecordedEvent> readAll(Selection selection, long fromPosition, ReadDirection direction, int limit) {
        requirePositive(limit);
        String order = direction == ReadDirection.FORWARD
                ? "global_position >= ? ORDER BY global_position ASC" : "global_position <= ? ORDER BY global_position DESC";
        String sql = "SELECT " + columns + " FROM " + database.table("events") + " e WHERE " + kept + " AND ";
        if (selection instanceof Selection.Category c) {
            return query("reading category " + c.category(), sql + "category = ? AND " + order + " LIMIT ?",
                    c.category(), fromPosition, limit);
        }
        if (selection instanceof Selection.EventType t) {
            return query("reading event type " + t.eventType(), sql + "event_type = ? AND " + order + " LIMIT ?",
                    t.eventType(), fromPosition, limit);
        }
        return query("reading $all", sql + order + " LIMIT ?", fromPosition, limit);
    }

    /** {@link #readAll} read lazily a page at a time. */
    public Stream<RecordedEvent> iterateAll(Selection selection, long fromPosition, ReadDirection direction, int pageSize) {
        return Pages.lazily(fromPosition, pageSize, (from, size) -> readAll(selection, from, direction, size),
                event -> direction == ReadDirection.FORWARD
                        ? event.globalPosition().orElseThrow() + 1 : event.globalPosition().orElseThrow() - 1);
    }

    /** The stream's indexed version and first and last event times, or empty when the index has no event of it. */
    public Optional<StreamInfo> streamInfo(String streamId) {
        String sql = "SELECT " + STREAM_COLUMNS + " FROM " + database.table("streams") + " WHERE stream_id = ?";
        try (Connection connection = connections.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, streamId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(toStreamInfo(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ReadException("reading stream info of " + streamId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A page of streams in stream id order, for operators: those after {@code afterStreamId} (empty for
     * the first page), of one category or of all.
     *
     * @param category a category (the stream id up to its first '-'), or empty for every stream
     */
    public List<StreamInfo> listStreams(Optional<String> category, String afterStreamId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String sql = "SELECT " + STREAM_COLUMNS + " FROM " + database.table("streams")
                + " WHERE stream_id > ?" + (category.isPresent() ? " AND category = ?" : "") + " ORDER BY stream_id LIMIT ?";
        try (Connection connection = connections.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            int parameter = 1;
            select.setString(parameter++, afterStreamId);
            if (category.isPresent()) {
                select.setString(parameter++, category.get());
            }
            select.setInt(parameter, limit);
            List<StreamInfo> streams = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    streams.add(toStreamInfo(rows));
                }
            }
            return streams;
        } catch (SQLException e) {
            throw new ReadException("listing streams failed: " + e.getMessage(), e);
        }
    }

    /**
     * Read-your-writes: waits until the index holds {@code version} of the stream (the version an append
     * returned), then returns the stream's indexed version. Waiting costs no polling: the indexer
     * notifies readers at each commit.
     *
     * @throws IndexLagTimeoutException when the index has not reached the version within the timeout
     */
    public long awaitVersion(String streamId, long version, Duration timeout) {
        CompletableFuture<Long> reached = watch.await(streamId, version);
        try {
            // Checked after registering, so a commit between this check and the wait cannot be missed.
            long indexed = indexedVersion(streamId);
            if (indexed >= version) {
                reached.complete(indexed);
            }
            return reached.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reached.cancel(false);
            throw new IndexLagTimeoutException(streamId, version, indexedVersion(streamId), timeout);
        } catch (InterruptedException e) {
            reached.cancel(false);
            Thread.currentThread().interrupt();
            throw new ReadException("interrupted while waiting for version " + version + " of " + streamId, e);
        } catch (ExecutionException | RuntimeException e) {
            reached.cancel(false);
            throw e instanceof ReadException r ? r : new ReadException("waiting for version " + version + " of "
                    + streamId + " failed: " + e.getMessage(), e);
        }
    }

    private long indexedVersion(String streamId) {
        return streamInfo(streamId).map(StreamInfo::version).orElse(0L);
    }

    /** Stops the thread that wakes {@link #awaitVersion} and closes the pooled connections. */
    @Override
    public void close() {
        watch.close();
        connections.close();
    }

    private List<RecordedEvent> query(String what, String sql, Object... parameters) {
        try (Connection connection = connections.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                List<RecordedEvent> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(toEvent(rows));
                }
                return events;
            }
        } catch (SQLException e) {
            throw new ReadException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static StreamInfo toStreamInfo(ResultSet rows) throws SQLException {
        long maxCount = rows.getLong(8);
        OptionalLong keep = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(maxCount);
        long maxAgeMillis = rows.getLong(9);
        Optional<Duration> maxAge = rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(maxAgeMillis));
        return new StreamInfo(rows.getString(1), rows.getLong(2), rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant(),
                rows.getBoolean(5), rows.getBoolean(6), rows.getLong(7), keep, maxAge);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    /** Reads a row of {@link #COLUMNS} by column position: a lookup by name for every column of every row is wasted work. */
    private RecordedEvent toEvent(ResultSet rows) throws SQLException {
        byte[] payload = rows.getBytes(6);
        return new RecordedEvent(rows.getString(2), rows.getLong(3), UUID.fromString(rows.getString(4)), rows.getString(5),
                payload, metadata(rows.getString(8)), Optional.ofNullable(rows.getString(9)),
                Optional.ofNullable(rows.getString(10)), rows.getTimestamp(11).toInstant(), OptionalLong.of(rows.getLong(1)),
                new RecordedEvent.LogPosition(rows.getInt(12), rows.getLong(13)), dataJson(rows.getString(7), payload),
                Optional.ofNullable(rows.getString(14)));
    }

    private Optional<String> dataJson(String column, byte[] payload) {
        if (column != null || render == null) {
            return Optional.ofNullable(column);
        }
        try {
            return render.render(payload);
        } catch (SchemaRegistryException e) {
            throw new ReadException("rendering a payload's JSON failed, the schema registry did not answer: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> metadata(String json) throws SQLException {
        try {
            return json == null || json.equals("{}") ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new SQLException("metadata column is not a JSON object of strings: " + json, e);
        }
    }
}
