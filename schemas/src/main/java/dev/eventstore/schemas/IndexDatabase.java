package dev.eventstore.schemas;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The PostgreSQL database and schema of the index: where the indexer writes and the reader reads. One
 * record for both sides, as the index's tables are one contract.
 *
 * @param schema the PostgreSQL schema holding the index tables (a lower-case SQL identifier)
 */
public record IndexDatabase(String jdbcUrl, String user, String password, String schema) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public IndexDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(schema, "schema");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("database schema must be a lower-case SQL identifier, not '" + schema + "'");
        }
    }

    /** The same database with another schema (an index being rebuilt beside the live one). */
    public IndexDatabase withSchema(String otherSchema) {
        return new IndexDatabase(jdbcUrl, user, password, otherSchema);
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** The qualified name of a table of the index schema. */
    public String table(String name) {
        return schema + "." + name;
    }
}
