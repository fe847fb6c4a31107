package dev.eventstore.schemas.personal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default key store: the table {@code data_keys} of the index schema (migration V12), one row per
 * data subject. A forgotten subject's row keeps its id and {@code forgotten_at}; its key is set to NULL,
 * and the table is vacuumed at once so the old row version leaves the table's pages (PostgreSQL keeps a
 * changed row's old version until a vacuum). Its WAL and backups hold the key until they expire.
 */
public final class PostgresKeyStore implements DataKeyStore {

    /** Where connections come from: a pool's {@code getConnection}, or {@code IndexDatabase::connect}. */
    @FunctionalInterface
    public interface Connections {
        Connection get() throws SQLException;
    }

    static final int KEY_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresKeyStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connections connections;
    private final String table;

    /** @param schema the index schema holding the {@code data_keys} table */
    public PostgresKeyStore(Connections connections, String schema) {
        this.connections = connections;
        this.table = schema + ".data_keys";
    }

    @Override
    public SecretKey keyFor(String subject) {
        try (Connection connection = connections.get()) {
            Optional<Row> row = select(connection, subject);
            if (row.isEmpty()) {
                byte[] fresh = new byte[KEY_BYTES];
                RANDOM.nextBytes(fresh);
                // Two clients may both find no key: the first insert wins, the other reads the winner's key.
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (subject, data_key) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING")) {
                    insert.setString(1, subject);
                    insert.setBytes(2, fresh);
                    insert.executeUpdate();
                }
                row = select(connection, subject);
            }
            Row found = row.orElseThrow(() -> new IllegalStateException("the key of " + subject + " vanished after its insert"));
            return found.key.map(PostgresKeyStore::aes).orElseThrow(() -> new SubjectForgottenException(subject));
        } catch (SQLException e) {
            throw unavailable("the key of data subject " + subject, e);
        }
    }

    @Override
    public Optional<SecretKey> existingKey(String subject) {
        try (Connection connection = connections.get()) {
            return select(connection, subject).orElseThrow(() -> new UnknownSubjectException(subject)).key.map(PostgresKeyStore::aes);
        } catch (SQLException e) {
            throw unavailable("the key of data subject " + subject, e);
        }
    }

    @Override
    public Instant forget(String subject) {
        Instant forgottenAt;
        try (Connection connection = connections.get()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET data_key = NULL, forgotten_at = coalesce(forgotten_at, now()) WHERE subject = ? RETURNING forgotten_at")) {
                update.setString(1, subject);
                try (ResultSet rows = update.executeQuery()) {
                    if (!rows.next()) {
                        throw new UnknownSubjectException(subject);
                    }
                    forgottenAt = rows.getTimestamp(1).toInstant();
                }
            }
            vacuum(connection);
        } catch (SQLException e) {
            throw unavailable("forgetting data subject " + subject, e);
        }
        return forgottenAt;
    }

    /** When the subject was forgotten, or empty when it was not (or is unknown). */
    public Optional<Instant> forgottenAt(String subject) {
        try (Connection connection = connections.get()) {
            return select(connection, subject).flatMap(row -> row.forgottenAt);
        } catch (SQLException e) {
            throw unavailable("data subject " + subject, e);
        }
    }

    private void vacuum(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true); // VACUUM cannot run inside a transaction
            statement.execute("VACUUM " + table);
        } catch (SQLException e) {
            // The key is already NULL in the live row; the old version goes with the next autovacuum.
            LOG.warn("vacuuming {} after a forget failed ({}); autovacuum will remove the old row version", table, e.getMessage());
        }
    }

    private Optional<Row> select(Connection connection, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT data_key, forgotten_at FROM " + table + " WHERE subject = ?")) {
            select.setString(1, subject);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Timestamp forgotten = rows.getTimestamp(2);
                return Optional.of(new Row(Optional.ofNullable(rows.getBytes(1)),
                        Optional.ofNullable(forgotten).map(Timestamp::toInstant)));
            }
        }
    }

    private static SecretKey aes(byte[] key) {
        return new SecretKeySpec(key, "AES");
    }

    private static KeyStoreUnavailableException unavailable(String what, SQLException e) {
        return new KeyStoreUnavailableException("the key store (PostgreSQL) failed on " + what + ": " + e.getMessage(), e);
    }

    private record Row(Optional<byte[]> key, Optional<Instant> forgottenAt) {}
}
