package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.IndexChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe behind the bench's index lag and latency split, on the shared stack's PostgreSQL. */
class IndexLagProbeTest {

    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void readsOnTheIndexersNotificationAndSplitsEachLatencyAtTheGatesDecision() throws Exception {
        LocalStack stack = LocalStack.shared();
        String schema = newEventsTable(stack);
        try (Connection index = stack.connectToDatabase()) {
            // A recheck far beyond the wait below: the event can only be seen through the notification.
            try (IndexLagProbe probe = new IndexLagProbe(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema,
                    Duration.ofMinutes(5))) {
                long acked = System.nanoTime();
                long decidedAtMillis = System.currentTimeMillis() - 15;
                probe.acked("Probe-1", 1, acked - 40 * MS, acked); // scheduled 40 ms before, decided 15 ms before

                indexAndNotify(index, schema, "Probe-1", 1, decidedAtMillis);
                IndexLagProbe.Lags lags = probe.lags(Duration.ofSeconds(30));

                assertThat(lags.toDecided().count()).isEqualTo(1);
                assertThat(lags.toDecided().at(50) / 1e6).isCloseTo(25, within(3.0));
                assertThat(lags.decidedToAck().at(50) / 1e6).isCloseTo(15, within(3.0));
                assertThat(lags.lag().at(50)).isLessThan(Duration.ofSeconds(30).toNanos());

                Path trace = dir.resolve("trace.csv");
                probe.writeTrace(trace);
                List<String> lines = Files.readAllLines(trace);
                assertThat(lines).hasSize(2);
                assertThat(lines.get(0)).isEqualTo("scheduled_epoch_ms,to_decided_ms,decided_to_ack_ms,index_lag_ms");
                String[] fields = lines.get(1).split(",");
                assertThat(Double.parseDouble(fields[0])).isCloseTo(decidedAtMillis - 25, within(3.0));
                assertThat(Double.parseDouble(fields[1])).isCloseTo(25, within(3.0));
                assertThat(Double.parseDouble(fields[2])).isCloseTo(15, within(3.0));
            }
        }
    }

    @Test
    void anEventSeenBeforeItsAcknowledgementIsMatchedWithItAndNothingIsKeptPerAppendButItsTimes() throws Exception {
        LocalStack stack = LocalStack.shared();
        String schema = newEventsTable(stack);
        try (Connection index = stack.connectToDatabase();
             IndexLagProbe probe = new IndexLagProbe(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema,
                     Duration.ofMinutes(5))) {
            long scheduled = System.nanoTime();
            indexAndNotify(index, schema, "Probe-2", 1, System.currentTimeMillis());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (probe.unmatched() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(probe.unmatched()).as("the event seen, its acknowledgement not yet there").isEqualTo(1);

            long acked = System.nanoTime();
            probe.acked("Probe-2", 1, scheduled, acked);
            IndexLagProbe.Lags lags = probe.lags(Duration.ofSeconds(30));

            assertThat(probe.unmatched()).isZero();
            assertThat(lags.toDecided().count()).isEqualTo(1);
            // The two parts add up to the whole (the gate's clock in whole milliseconds: within 2 ms).
            assertThat((lags.toDecided().at(50) + lags.decidedToAck().at(50)) / 1e6).isCloseTo((acked - scheduled) / 1e6, within(2.0));
            assertThat(lags.lag().at(50)).as("seen before acknowledged: no lag").isZero();
        }
    }

    @Test
    void closesAtOnceWhileWaitingForANotification() throws Exception {
        LocalStack stack = LocalStack.shared();
        String schema = newEventsTable(stack);
        IndexLagProbe probe = new IndexLagProbe(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema, Duration.ofMinutes(5));
        Thread.sleep(200); // the reader is waiting for a notification now

        long start = System.nanoTime();
        probe.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    /** A schema of its own with the columns the probe reads of the index's events table; its name. */
    private static String newEventsTable(LocalStack stack) throws SQLException {
        String schema = "probe_test_" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection index = stack.connectToDatabase();
             Statement ddl = index.createStatement()) {
            ddl.execute("CREATE SCHEMA " + schema);
            ddl.execute("CREATE TABLE " + schema + ".events (global_position bigserial PRIMARY KEY, stream_id text NOT NULL,"
                    + " version bigint NOT NULL, recorded_at timestamptz NOT NULL)");
        }
        return schema;
    }

    private static void indexAndNotify(Connection index, String schema, String stream, long version, long recordedAtMillis)
            throws SQLException {
        try (PreparedStatement insert = index.prepareStatement(
                "INSERT INTO " + schema + ".events (stream_id, version, recorded_at) VALUES (?, ?, ?)")) {
            insert.setString(1, stream);
            insert.setLong(2, version);
            insert.setTimestamp(3, new Timestamp(recordedAtMillis));
            insert.executeUpdate();
        }
        try (Statement notify = index.createStatement()) {
            notify.execute("NOTIFY " + IndexChannel.of(schema));
        }
    }
}
