package dev.eventstore.reader.query;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventstore.schemas.IndexDatabase;
import java.time.Duration;

/**
 * Pooled connections to the index database, one pool per reader or snapshot store. Opening a PostgreSQL
 * connection starts a server process and costs a few milliseconds, as much as reading a 1,000-event
 * stream; a query borrows one from the pool instead.
 */
public final class ReadPool {

    /** Reads are short: a few connections serve many concurrent readers. */
    static final int MAX_CONNECTIONS = 8;
    /** How long a read waits for a connection (the database down, or the pool busy) before it fails. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private ReadPool() {}

    /**
     * @param purpose what the pool serves, in its name (thread names, logs)
     * @param readOnly read-only connections (queries of the index, which belongs to the indexer)
     */
    public static HikariDataSource open(IndexDatabase database, String purpose, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("eventstore-" + purpose + "-" + database.schema());
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setReadOnly(readOnly);
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        // Connections are opened on demand and retired when idle: an unused reader holds none.
        config.setMinimumIdle(0);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        // A reader created while PostgreSQL is down works once it is back; its reads fail meanwhile.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
