package dev.eventstore.reader.query;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/** The PostgreSQL database and schema the indexer writes. */
public record IndexDatabase(String jdbcUrl, String user, String password, String schema) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public IndexDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(schema, "schema");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("database schema must be a lower-case SQL identifier, not '" + schema + "'");
        }
    }

    /**
     * A pool of connections for a component of another package (the snapshot store); its owner closes it.
     * {@link ReadPool} says why reads pool.
     */
    public HikariDataSource openPool(String purpose, boolean readOnly) {
        return ReadPool.open(this, purpose, readOnly);
    }

    /** A read-only connection: the index belongs to the indexer. */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        connection.setReadOnly(true);
        return connection;
    }

    /** The qualified name of a table of the index schema. */
    public String table(String name) {
        return schema + "." + name;
    }
}
