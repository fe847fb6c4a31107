package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexChannel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of events in one PostgreSQL transaction: the events (one COPY), the streams'
 * versions, the lifecycle markers ({@link StreamLifecycleWriter}) and the next offset of each partition.
 * The offset update is conditional on the offset this indexer last read or wrote, so an indexer that
 * lost its partitions (a zombie after a rebalance) cannot write over its successor: its transaction rolls back with {@link PositionConflictException}.
 */
final class IndexWriter {

    private static final Logger log = LoggerFactory.getLogger(IndexWriter.class);

    /** How much COPY input is handed to the driver at a time. */
    private static final int COPY_CHUNK_BYTES = 64 * 1024;

    private final String schema;
    private final StreamLifecycleWriter lifecycle;

    IndexWriter(String schema) {
        this.schema = schema;
        this.lifecycle = new StreamLifecycleWriter(schema);
    }

    /** The stored next offset of each partition that has one. */
    Map<TopicPartition, Long> positions(Connection connection, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        String sql = "SELECT next_offset FROM " + schema + ".indexer_positions WHERE kafka_topic = ? AND kafka_partition = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (TopicPartition partition : partitions) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        positions.put(partition, rows.getLong(1));
                    }
                }
            }
        }
        connection.commit();
        return positions;
    }

    /** Deletes the events that retention (max age) no longer keeps, in all streams; its own transaction. */
    int sweepExpired(Connection connection) throws SQLException {
        try {
            int deleted = lifecycle.sweepExpired(connection);
            connection.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Every partition's stored position for {@code topic}. */
    Map<TopicPartition, Long> positions(Connection connection, String topic) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        String sql = "SELECT kafka_partition, next_offset FROM " + schema + ".indexer_positions WHERE kafka_topic = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, topic);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(new TopicPartition(topic, rows.getInt(1)), rows.getLong(2));
                }
            }
        }
        return positions;
    }

    /** What a batch wrote: its events, and how many of them with a form left out or escaped. */
    record Written(int events, int degraded) {}

    /**
     * Writes the batch in one transaction. When PostgreSQL refuses a row for its content (a SQLState of
     * class 22 or 54: the same rows would fail again on every retry), the transaction is rolled back and
     * the batch written again with that row {@linkplain IndexedEvent#stripped stripped} to what places it in
     * its stream, flagged with the error; a refusal that names no row strips the whole batch. So a row's
     * content never stops the index, and the index stays equal to the log.
     *
     * @param expected the next offset this indexer believes is stored per partition (absent: no row yet)
     * @param next the next offset to store per partition after this batch
     * @throws SQLException a transient failure (connection, lock, resources): retry the batch later
     * @throws UnstorableRowException when even the stripped rows are refused
     */
    Written write(Connection connection, Iterable<IndexedEvent> events, Map<TopicPartition, Long> expected,
                  Map<TopicPartition, Long> next) throws SQLException {
        return write(connection, events, new ArrayList<>(), expected, next);
    }

    /**
     * @param markers the batch's lifecycle markers, applied after its events (see {@link StreamLifecycleWriter});
     *     filled while {@code events} is iterated: each iteration (each attempt of the batch) fills it afresh
     */
    Written write(Connection connection, Iterable<IndexedEvent> events, List<LoggedMarker> markers, Map<TopicPartition, Long> expected,
                  Map<TopicPartition, Long> next) throws SQLException {
        Map<Integer, String> strip = new HashMap<>();
        boolean stripAll = false;
        while (true) {
            Iterable<IndexedEvent> attempt = stripped(events, strip, stripAll);
            try {
                return writeOnce(connection, attempt, markers, expected, next);
            } catch (SQLException e) {
                if (!SqlErrors.isContentError(e)) {
                    throw e;
                }
                if (stripAll) {
                    throw new UnstorableRowException("PostgreSQL refused a batch stripped to its ids: " + e.getMessage(), e);
                }
                String reason = "PostgreSQL refused the row (" + e.getSQLState() + " " + StorableText.escape(e.getMessage()) + ")";
                OptionalInt row = SqlErrors.copyRow(e);
                if (row.isPresent() && !strip.containsKey(row.getAsInt())) {
                    strip.put(row.getAsInt(), reason);
                    log.warn("Indexing: row {} of the batch refused by PostgreSQL, writing it again stripped: {}", row.getAsInt(), reason);
                } else {
                    stripAll = true;
                    strip.clear();
                    strip.put(-1, reason);
                    log.warn("Indexing: PostgreSQL refused the batch for a row's content, writing it again stripped: {}", reason);
                }
            }
        }
    }

    private static Iterable<IndexedEvent> stripped(Iterable<IndexedEvent> events, Map<Integer, String> strip, boolean all) {
        if (strip.isEmpty()) {
            return events;
        }
        return () -> new Iterator<>() {
            private final Iterator<IndexedEvent> rows = events.iterator();
            private int index;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public IndexedEvent next() {
                IndexedEvent row = rows.next();
                String reason = all ? strip.get(-1) : strip.get(index);
                index++;
                return reason == null ? row : row.stripped(reason);
            }
        };
    }

    private Written writeOnce(Connection connection, Iterable<IndexedEvent> events, List<LoggedMarker> markers,
                              Map<TopicPartition, Long> expected, Map<TopicPartition, Long> next) throws SQLException {
        try {
            lockGlobalPositions(connection);
            List<IndexedEvent> written = insertEvents(connection, events);
            upsertStreams(connection, written);
            lifecycle.apply(connection, markers, written);
            lifecycle.enforceRetention(connection, written.stream().map(IndexedEvent::streamId).distinct().toList());
            announce(connection, written);
            for (var entry : next.entrySet()) {
                advance(connection, entry.getKey(), expected.get(entry.getKey()), entry.getValue());
            }
            connection.commit();
            return new Written(written.size(), (int) written.stream().filter(e -> e.degraded() != null).count());
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Makes global positions safe to poll. An identity value is taken at insert but becomes visible at
     * commit; two indexers committing concurrently could make position 10 visible after a reader had
     * passed 11. This transaction-scoped lock, held from the insert to the commit, serialises the
     * indexers' write transactions, so positions become visible in the order they are assigned (a
     * rolled-back batch leaves a hole that is never filled, which a poller may skip safely).
     */
    private void lockGlobalPositions(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, lockName(schema));
            lock.execute();
        }
    }

    /**
     * Tells listening readers (read-your-writes) that the index moved. PostgreSQL delivers the
     * notification at commit and not at all on rollback; identical ones in a transaction fold into one.
     */
    private void announce(Connection connection, List<IndexedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            notify.setString(1, IndexChannel.of(schema));
            notify.execute();
        }
    }

    /** The advisory lock every writer of a schema's events takes; a rebuild's swap takes it too. */
    static String lockName(String schema) {
        return "eventstore.global_position." + schema;
    }

    /**
     * Streams the events into one COPY as they come: {@code events} may decode lazily, and PostgreSQL
     * inserts the first rows while the later ones are still being decoded (the two took turns before,
     * each idle while the other worked).
     */
    private List<IndexedEvent> insertEvents(Connection connection, Iterable<IndexedEvent> events) throws SQLException {
        List<IndexedEvent> written = new ArrayList<>();
        Iterator<IndexedEvent> pending = events.iterator();
        if (!pending.hasNext()) {
            return written;
        }
        // COPY is the fastest bulk path into PostgreSQL (about twice an array insert here), and its binary
        // form spares PostgreSQL parsing text; rows are inserted in batch order, so global positions follow it.
        String sql = "COPY " + schema + ".events (stream_id, version, category, event_type, event_id, schema_id, payload, data,"
                + " metadata, correlation_id, causation_id, request_id, kafka_topic, kafka_partition, kafka_offset, recorded_at, degraded)"
                + " FROM STDIN (FORMAT binary)";
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyBinary rows = new CopyBinary(2 * COPY_CHUNK_BYTES);
            while (pending.hasNext()) {
                IndexedEvent e = pending.next();
                rows.row(17).text(e.streamId()).int8(e.version()).text(e.category()).text(e.eventType()).uuid(e.eventId())
                        .int4(e.schemaId()).bytes(e.payload()).jsonb(e.dataJson()).jsonb(e.metadataJson()).text(e.correlationId())
                        .text(e.causationId()).text(e.requestId()).text(e.topic()).int4(e.partition()).int8(e.offset())
                        .timestamptz(e.recordedAtMillis()).text(e.degraded());
                written.add(e);
                if (rows.pending() >= COPY_CHUNK_BYTES) {
                    rows.drainTo(copy::writeToCopy);
                }
            }
            rows.end();
            rows.drainTo(copy::writeToCopy);
            copy.endCopy();
            return written;
        } catch (SQLException | RuntimeException e) {
            // A failure mid-way (a decoding one included) leaves the connection in COPY mode; leave it first,
            // so that the caller's rollback works.
            try {
                copy.cancelCopy();
            } catch (SQLException cancel) {
                e.addSuppressed(cancel);
            }
            throw e;
        }
    }

    private void upsertStreams(Connection connection, List<IndexedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Map<String, IndexedEvent> latest = new LinkedHashMap<>();
        Map<String, Long> firstRecorded = new HashMap<>();
        for (IndexedEvent event : events) {
            latest.merge(event.streamId(), event, (a, b) -> a.version() >= b.version() ? a : b);
            firstRecorded.merge(event.streamId(), event.recordedAtMillis(), Math::min);
        }
        int n = latest.size();
        String[] ids = new String[n], categories = new String[n];
        Long[] versions = new Long[n], created = new Long[n], updated = new Long[n];
        int i = 0;
        for (IndexedEvent event : latest.values()) {
            ids[i] = event.streamId();
            categories[i] = event.category();
            versions[i] = event.version();
            created[i] = firstRecorded.get(event.streamId());
            updated[i] = event.recordedAtMillis();
            i++;
        }
        String sql = "INSERT INTO " + schema + ".streams (stream_id, category, version, created_at, updated_at)"
                + " SELECT s, c, v, to_timestamp(cr / 1000.0), to_timestamp(up / 1000.0)"
                + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS b(s, c, v, cr, up)"
                + " ON CONFLICT (stream_id) DO UPDATE SET version = GREATEST(streams.version, EXCLUDED.version),"
                // An append after a soft delete starts the stream again (StreamLifecycleWriter sets it back when the
                // deletion comes later in the batch).
                + " updated_at = EXCLUDED.updated_at, deleted = false";
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setArray(1, connection.createArrayOf("text", ids));
            upsert.setArray(2, connection.createArrayOf("text", categories));
            upsert.setArray(3, connection.createArrayOf("bigint", versions));
            upsert.setArray(4, connection.createArrayOf("bigint", created));
            upsert.setArray(5, connection.createArrayOf("bigint", updated));
            upsert.executeUpdate();
        }
    }

    private void advance(Connection connection, TopicPartition partition, Long expected, long next) throws SQLException {
        String sql = expected == null
                ? "INSERT INTO " + schema + ".indexer_positions (kafka_topic, kafka_partition, next_offset) VALUES (?, ?, ?)"
                        + " ON CONFLICT DO NOTHING"
                : "UPDATE " + schema + ".indexer_positions SET next_offset = ?, updated_at = now()"
                        + " WHERE kafka_topic = ? AND kafka_partition = ? AND next_offset = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (expected == null) {
                statement.setString(1, partition.topic());
                statement.setInt(2, partition.partition());
                statement.setLong(3, next);
            } else {
                statement.setLong(1, next);
                statement.setString(2, partition.topic());
                statement.setInt(3, partition.partition());
                statement.setLong(4, expected);
            }
            if (statement.executeUpdate() != 1) {
                throw new PositionConflictException(partition, expected);
            }
        }
    }
}
