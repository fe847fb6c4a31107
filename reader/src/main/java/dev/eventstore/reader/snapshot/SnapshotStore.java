package dev.eventstore.reader.snapshot;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventstore.reader.query.ReadException;
import dev.eventstore.reader.query.ReadPool;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PersonalCodec;
import dev.eventstore.schemas.personal.Revealed;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.WireFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Snapshots of aggregates, next to the index in PostgreSQL, encoded like events (registry wire format,
 * subject {@code <prefix>.snapshots-<record full name>}, the subject's compatibility rule applies), so a
 * state schema can evolve and old snapshots still load into the new class.
 *
 * <p>The pattern: load the latest snapshot, then fold the stream's events from its version + 1:
 * <pre>{@code
 * Optional<Snapshot<Account>> snapshot = snapshots.loadLatest("Account-42", Account.class);
 * Account state = snapshot.map(Snapshot::state).orElseGet(Account::empty);
 * long from = snapshot.map(Snapshot::version).orElse(0L) + 1;
 * reader.iterateStream("Account-42", from, FORWARD, 500).forEach(e -> state.apply(decoder.decode(e)));
 * }</pre>
 * Only the latest snapshot of a stream is kept. Loads and saves borrow pooled connections (a snapshot
 * is loaded each time an aggregate is); {@link #close()} closes them.
 */
public final class SnapshotStore implements AutoCloseable {

    private final IndexDatabase database;
    private final PersonalCodec codec;
    private final HikariDataSource connections;

    public SnapshotStore(IndexDatabase database, SchemaRegistryClient registry, StoreTopics topics) {
        this(database, registry, topics, null);
    }

    /**
     * A store that encrypts the state's personal fields with the stream's key (the data subject of a
     * snapshot is its stream id) and erases them on load once the stream was forgotten.
     *
     * @param keys the key store, or null: a state with personal fields is then refused
     */
    public SnapshotStore(IndexDatabase database, SchemaRegistryClient registry, StoreTopics topics, DataKeyStore keys) {
        this.database = database;
        this.codec = new PersonalCodec(new EventCodec(registry, topics.prefix() + ".snapshots", true), keys);
        this.connections = ReadPool.open(database, "snapshots", false);
    }

    /** Closes the pooled connections. */
    @Override
    public void close() {
        connections.close();
    }

    /**
     * Saves the state of a stream as of {@code version}, replacing older snapshots of it; a snapshot older
     * than the stored one is ignored.
     *
     * @return whether this snapshot is now the stream's latest
     * @throws InvalidSnapshotException when the index does not have that version of the stream (a snapshot
     *     ahead of the events would make the pattern above skip them)
     */
    public boolean save(String streamId, long version, GenericContainer state) {
        return save(streamId, version, state, streamId);
    }

    /**
     * {@link #save(String, long, GenericContainer)} with the state's personal fields encrypted for {@code dataSubject}
     * (the subject the stream's events name, e.g. {@code customer-7}), so that forgetting it erases the snapshot too.
     */
    public boolean save(String streamId, long version, GenericContainer state, String dataSubject) {
        byte[] payload = codec.encode(state, dataSubject);
        String subject = dataSubject.equals(streamId) ? null : dataSubject;
        try (Connection connection = connections.getConnection()) {
            connection.setAutoCommit(false);
            try {
                requireIndexed(connection, streamId, version);
                boolean latest = insertIfNewest(connection, streamId, version, payload, subject);
                connection.commit();
                return latest;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ReadException("saving a snapshot of " + streamId + " failed: " + e.getMessage(), e);
        }
    }

    /** The latest snapshot, its state decoded into the generated class (resolving an older writer schema). */
    public <T extends SpecificRecord> Optional<Snapshot<T>> loadLatest(String streamId, Class<T> type) {
        return loadLatest(streamId, (payload, subject) -> codec.decode(payload, subject, type));
    }

    /** The latest snapshot, its state as written. */
    public Optional<Snapshot<GenericRecord>> loadLatest(String streamId) {
        return loadLatest(streamId, codec::decode);
    }

    private <T> Optional<Snapshot<T>> loadLatest(String streamId, BiFunction<byte[], String, Revealed<T>> decode) {
        String sql = "SELECT version, payload, created_at, coalesce(data_subject, stream_id) FROM " + database.table("snapshots")
                + " WHERE stream_id = ? ORDER BY version DESC LIMIT 1";
        try (Connection connection = connections.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, streamId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                byte[] payload = rows.getBytes(2);
                Revealed<T> state = decode.apply(payload, rows.getString(4));
                return Optional.of(new Snapshot<>(streamId, rows.getLong(1), WireFormat.schemaId(payload),
                        state.value(), rows.getTimestamp(3).toInstant(), state.erasedFields()));
            }
        } catch (SQLException e) {
            throw new ReadException("loading the snapshot of " + streamId + " failed: " + e.getMessage(), e);
        }
    }

    private void requireIndexed(Connection connection, String streamId, long version) throws SQLException {
        if (version < 1) {
            throw new InvalidSnapshotException("a snapshot is of version 1 or later, not " + version);
        }
        String sql = "SELECT version FROM " + database.table("streams") + " WHERE stream_id = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, streamId);
            try (ResultSet rows = select.executeQuery()) {
                long indexed = rows.next() ? rows.getLong(1) : 0;
                if (indexed < version) {
                    throw new InvalidSnapshotException("stream " + streamId + " is indexed up to version " + indexed
                            + "; a snapshot at version " + version + " would be ahead of its events");
                }
            }
        }
    }

    private boolean insertIfNewest(Connection connection, String streamId, long version, byte[] payload, String dataSubject)
            throws SQLException {
        // Serialise savers of one stream, then keep only the newest row.
        String lock = "SELECT pg_advisory_xact_lock(hashtext(?))";
        try (PreparedStatement statement = connection.prepareStatement(lock)) {
            statement.setString(1, database.table("snapshots") + "/" + streamId);
            statement.execute();
        }
        String newer = "SELECT 1 FROM " + database.table("snapshots") + " WHERE stream_id = ? AND version > ?";
        try (PreparedStatement select = connection.prepareStatement(newer)) {
            select.setString(1, streamId);
            select.setLong(2, version);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + database.table("snapshots") + " WHERE stream_id = ?")) {
            delete.setString(1, streamId);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.table("snapshots")
                + " (stream_id, version, schema_id, payload, data_subject) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, streamId);
            insert.setLong(2, version);
            insert.setInt(3, WireFormat.schemaId(payload));
            insert.setBytes(4, payload);
            insert.setString(5, dataSubject);
            insert.executeUpdate();
        }
        return true;
    }
}
