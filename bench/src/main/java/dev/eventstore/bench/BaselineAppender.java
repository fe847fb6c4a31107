package dev.eventstore.bench;

import dev.eventstore.writer.api.EventIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.util.PSQLException;

/**
 * One connection of the baseline and its statements, prepared once and reused by the one pool thread
 * that owns it (the driver turns a statement executed five times into a named server-side one, so a
 * reused statement is parsed and planned once).
 *
 * <p>An append is one statement in autocommit, so one round trip and one transaction: it reads the
 * stream's head (the last version, an index lookup on {@code UNIQUE (stream_id, version)}) and inserts
 * the events at the versions after it only when the head is the expected one. The unique constraint is
 * what serialises racing appends: of two that saw the same head, the second waits for the first and
 * then fails with a unique violation, the conflict. No stream row is locked and none is kept.
 */
final class BaselineAppender implements AutoCloseable {

    /** The name {@link PostgresBaseline} gives the unique constraint: its violation is the conflict. */
    static final String STREAM_VERSION_CONSTRAINT = "events_stream_version";
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String HEAD = "SELECT coalesce(max(version), 0) AS version FROM " + PostgresBaseline.SCHEMA
            + ".events WHERE stream_id = ?";
    private static final String INSERT = "INSERT INTO " + PostgresBaseline.SCHEMA + ".events (stream_id, version, event_type,"
            + " event_id, payload) ";
    /** Parameters: stream, stream, event id, payload, any, expected version. */
    private static final String APPEND_ONE = "WITH head AS (" + HEAD + "), appended AS (" + INSERT
            + "SELECT ?, head.version + 1, 'MoneyDeposited', ?, ? FROM head WHERE ? OR head.version = ? RETURNING version)"
            + " SELECT head.version, (SELECT version FROM appended) FROM head";
    /** Parameters: stream, stream, event ids, payloads, any, expected version. */
    private static final String APPEND_MANY = "WITH head AS (" + HEAD + "), appended AS (" + INSERT
            + "SELECT ?, head.version + t.n, 'MoneyDeposited', t.e, t.p FROM head,"
            + " unnest(?::uuid[], ?::bytea[]) WITH ORDINALITY AS t(e, p, n) WHERE ? OR head.version = ? RETURNING version)"
            + " SELECT head.version, (SELECT max(version) FROM appended) FROM head";

    private final Connection connection;
    private final PreparedStatement appendOne;
    private final PreparedStatement appendMany;
    private final PreparedStatement head;

    BaselineAppender(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(true);
        this.appendOne = connection.prepareStatement(APPEND_ONE);
        this.appendMany = connection.prepareStatement(APPEND_MANY);
        this.head = connection.prepareStatement(HEAD);
    }

    /**
     * Appends the payloads after the stream's head; returns the stream's last version.
     *
     * @throws BenchTarget.Conflict when the stream was not at {@code expectedVersion} (nothing appended)
     */
    long append(String stream, long expectedVersion, byte[][] payloads) throws SQLException {
        while (true) {
            try {
                return appendOnce(stream, expectedVersion, payloads);
            } catch (PSQLException e) {
                if (!isVersionTaken(e)) {
                    throw e;
                }
                if (expectedVersion != BenchTarget.ANY) {
                    // Another append took the version first; it committed, so the head read now is past it.
                    throw new BenchTarget.Conflict(head(stream));
                }
                // An append with any expected version lost a race for the head: it takes the next one.
            }
        }
    }

    private long appendOnce(String stream, long expectedVersion, byte[][] payloads) throws SQLException {
        PreparedStatement append = payloads.length == 1 ? appendOne : appendMany;
        append.setString(1, stream);
        append.setString(2, stream);
        if (payloads.length == 1) {
            append.setObject(3, EventIds.next()); // as the store's client makes them: the same index cost for both
            append.setBytes(4, payloads[0]);
        } else {
            UUID[] ids = new UUID[payloads.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = EventIds.next();
            }
            append.setArray(3, connection.createArrayOf("uuid", ids));
            append.setArray(4, connection.createArrayOf("bytea", payloads));
        }
        append.setBoolean(5, expectedVersion == BenchTarget.ANY);
        append.setLong(6, expectedVersion);
        try (ResultSet row = append.executeQuery()) {
            row.next();
            long last = row.getLong(2);
            if (row.wasNull()) {
                throw new BenchTarget.Conflict(row.getLong(1));
            }
            return last;
        }
    }

    private long head(String stream) throws SQLException {
        head.setString(1, stream);
        try (ResultSet row = head.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static boolean isVersionTaken(PSQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e.getServerErrorMessage() != null
                && STREAM_VERSION_CONSTRAINT.equals(e.getServerErrorMessage().getConstraint());
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
