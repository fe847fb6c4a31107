package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class QuietDatabaseTest {

    @Test
    void vacuumsAndAnalyzesEveryTableOfTheDatabaseBothTargetsShare() throws Exception {
        LocalStack stack = LocalStack.shared();
        try (Connection c = connect(stack); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS quiet_one");
            s.execute("CREATE SCHEMA IF NOT EXISTS quiet_two");
            s.execute("CREATE TABLE IF NOT EXISTS quiet_one.events (n bigint)");
            s.execute("CREATE TABLE IF NOT EXISTS quiet_two.events (n bigint)");
            s.execute("INSERT INTO quiet_one.events SELECT generate_series(1, 1000)");
            s.execute("INSERT INTO quiet_two.events SELECT generate_series(1, 1000)");
        }
        try (Connection c = connect(stack); Statement s = c.createStatement()) {
            // A backend reports its inserts to the cumulative statistics at most once a second, or when it
            // exits; a report landing after the ANALYZE would count them again as changed since it. Wait
            // until both tables' inserts are reported, so what is left afterwards is what the step left.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> countsOf(s),
                    found -> found.size() == 2 && found.values().stream().allMatch(n -> n[2] >= 1000));

            Duration took = new QuietDatabase(stack).vacuumAndAnalyze();

            assertThat(took).isPositive();
            // The step's own report reaches pg_stat_user_tables a moment later: poll for it.
            Map<String, long[]> counts = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> countsOf(s),
                    found -> found.size() == 2 && found.values().stream().allMatch(n -> n[0] > 0 && n[1] > 0));
            // vacuum_count and analyze_count count manual runs only: these are the step's, not autovacuum's.
            // Nothing left for an autovacuum worker to analyze in either schema.
            assertThat(counts.get("quiet_one")[2]).isZero();
            assertThat(counts.get("quiet_two")[2]).isZero();
        }
    }

    private static Connection connect(LocalStack stack) throws SQLException {
        return stack.connectToDatabase();
    }

    /** Per schema: manual vacuums, manual analyzes, rows changed since the last analyze. */
    private static Map<String, long[]> countsOf(Statement s) throws SQLException {
        Map<String, long[]> counts = new HashMap<>();
        try (ResultSet r = s.executeQuery("SELECT schemaname, vacuum_count, analyze_count, n_mod_since_analyze"
                + " FROM pg_stat_user_tables WHERE relname = 'events' AND schemaname LIKE 'quiet_%'")) {
            while (r.next()) {
                counts.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4)});
            }
        }
        return counts;
    }
}
