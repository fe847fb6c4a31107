package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Vacuums and analyzes the stack's database, the store's index and the baseline's tables both, before a
 * measured latency row and before the index row. PostgreSQL's autovacuum sends a worker once a minute to any table whose inserts
 * crossed its thresholds, and an {@code ANALYZE} of a 600,000-row table took 0.43–0.54 s of CPU here
 * (BENCHMARKS.md): without this, each target's row paid for the other's inserts before it, whichever ran
 * second. After it, a row's autovacuum work is its own inserts'.
 */
final class QuietDatabase {

    private final LocalStack stack;

    QuietDatabase(LocalStack stack) {
        this.stack = stack;
    }

    /** Runs {@code VACUUM ANALYZE} over the whole database; returns how long it took. */
    Duration vacuumAndAnalyze() throws SQLException {
        long start = System.nanoTime();
        // VACUUM cannot run inside a transaction block: the connection stays in autocommit.
        try (Connection c = stack.connectToDatabase();
             Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
