package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The baseline must be a correct event store, or the comparison means nothing. */
class PostgresBaselineTest {

    @Test
    void checksTheExpectedVersionAndKeepsVersionsGaplessUnderARace() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            assertThat(baseline.append("A-1", BenchTarget.NO_STREAM, 3).join()).isEqualTo(3);
            assertThat(baseline.append("A-1", 3, 1).join()).isEqualTo(4);
            assertThatThrownBy(() -> baseline.append("A-1", 2, 1).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(BenchTarget.Conflict.class, c -> assertThat(c.actualVersion).isEqualTo(4));
            assertThatThrownBy(() -> baseline.append("A-1", BenchTarget.NO_STREAM, 1).join()).cause()
                    .isInstanceOf(BenchTarget.Conflict.class);
            assertThat(baseline.append("A-1", BenchTarget.ANY, 2).join()).isEqualTo(6);
            assertThat(baseline.readStream("A-1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

            Workloads workloads = new Workloads(System.out);
            Workloads.Race race = workloads.race(baseline, "Race-1", 8, 300);
            assertThat(race.successes() + race.conflicts()).isEqualTo(300);
            assertThat(race.gaplessAndUnique()).isTrue();
            assertThat(baseline.catchUp(6 + race.successes()).events()).isEqualTo(6 + race.successes());
        }
    }

    @Test
    void aFillLeavesExactlyTheTotalSoACatchUpOverTwoTargetsReadsTheSameNumber() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            Workloads workloads = new Workloads(System.out);
            workloads.appends(baseline, "Before-", 7, 7, 3, 7);

            // 21 there; 1,234 asks for 12 appends of 100 and 13 of one (W5 filled by hundreds once, and over-filled
            // the baseline past the store's count, which its catch-up could then not find in the store).
            workloads.fillTo(baseline, "Fill-", 1_234);
            workloads.fillTo(baseline, "Again-", 1_000);

            assertThat(workloads.appendedEvents(baseline)).isEqualTo(1_234);
            assertThat(baseline.catchUp(1_234).events()).isEqualTo(1_234);
            assertThatThrownBy(() -> baseline.catchUp(1_235)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("holds 1234 events");
        }
    }

    @Test
    void theOpenLoopsExactExpectedVersionsAreAllAcceptedInTurn() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            Workloads.Latency latency = new Workloads(System.out).openLoop(baseline, "Open-", 100, 300, Duration.ofSeconds(1), null);

            assertThat(latency.failed()).isZero();
            // 300 appends over 100 streams in turn: three each, 333 ms apart, each expecting the one before.
            assertThat(baseline.readStream("Open-0")).containsExactly(1L, 2L, 3L);
            assertThat(baseline.readStream("Open-99")).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void anAppendExpectingAVersionPastTheStreamsHeadIsAConflictAndLeavesNoGap() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            baseline.append("Gap-1", BenchTarget.NO_STREAM, 3).join();

            assertThatThrownBy(() -> baseline.append("Gap-1", 5, 1).join()).cause()
                    .isInstanceOfSatisfying(BenchTarget.Conflict.class, c -> assertThat(c.actualVersion).isEqualTo(3));
            assertThatThrownBy(() -> baseline.append("Gap-2", 1, 2).join()).cause()
                    .isInstanceOfSatisfying(BenchTarget.Conflict.class, c -> assertThat(c.actualVersion).isZero());

            assertThat(baseline.append("Gap-1", 3, 2).join()).isEqualTo(5);
            assertThat(baseline.readStream("Gap-1")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(baseline.readStream("Gap-2")).isEmpty();
        }
    }

    @Test
    void ofTwoAppendsRacingWithTheSameExpectedVersionExactlyOneWinsAndTheOtherLearnsTheActualVersion() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            for (int duel = 0; duel < 50; duel++) {
                String stream = "Duel-" + duel;
                baseline.append(stream, BenchTarget.NO_STREAM, 2).join();

                List<CompletableFuture<Long>> racing = List.of(baseline.append(stream, 2, 1), baseline.append(stream, 2, 3));

                List<Long> won = new ArrayList<>();
                List<Long> actual = new ArrayList<>();
                for (CompletableFuture<Long> append : racing) {
                    try {
                        won.add(append.join());
                    } catch (CompletionException e) {
                        actual.add(((BenchTarget.Conflict) e.getCause()).actualVersion);
                    }
                }
                assertThat(won).hasSize(1);
                assertThat(actual).containsExactly(won.get(0));
                assertThat(baseline.readStream(stream)).isEqualTo(LongStream.rangeClosed(1, won.get(0)).boxed().toList());
            }
        }
    }

    @Test
    void anAppendThatLosesTheVersionToAnUncommittedRivalIsAConflictOnceTheRivalCommits() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            CompletableFuture<Long> append = appendBehindACommittingRival(baseline, "Rival-1", BenchTarget.NO_STREAM);

            assertThatThrownBy(append::join).cause()
                    .isInstanceOfSatisfying(BenchTarget.Conflict.class, c -> assertThat(c.actualVersion).isEqualTo(1));
            assertThat(baseline.readStream("Rival-1")).containsExactly(1L);
        }
    }

    @Test
    void anAppendWithAnyVersionThatLosesTheHeadToARivalTakesTheNextVersion() throws Exception {
        try (PostgresBaseline baseline = baselineOnTheSharedStack()) {
            CompletableFuture<Long> append = appendBehindACommittingRival(baseline, "Rival-2", BenchTarget.ANY);

            assertThat(append.join()).isEqualTo(2);
            assertThat(baseline.readStream("Rival-2")).containsExactly(1L, 2L);
        }
    }

    /**
     * A rival transaction inserts the stream's version 1 and holds it uncommitted; the baseline's append,
     * seeing the stream empty, must wait for the rival's row in the unique index; then the rival commits.
     */
    private static CompletableFuture<Long> appendBehindACommittingRival(PostgresBaseline baseline, String stream, long expected)
            throws Exception {
        try (Connection rival = rivalConnection()) {
            insertVersionOne(rival, stream);
            CompletableFuture<Long> append = baseline.append(stream, expected, 1);
            awaitAppendWaitingForALock();
            rival.commit();
            return append;
        }
    }

    private static Connection rivalConnection() throws SQLException {
        LocalStack stack = LocalStack.shared();
        Connection rival = stack.connectToDatabase();
        rival.setAutoCommit(false);
        return rival;
    }

    private static void insertVersionOne(Connection rival, String stream) throws SQLException {
        try (PreparedStatement insert = rival.prepareStatement("INSERT INTO " + PostgresBaseline.SCHEMA
                + ".events (stream_id, version, event_type, event_id, payload) VALUES (?, 1, 'Rival', gen_random_uuid(), '\\x00')")) {
            insert.setString(1, stream);
            insert.executeUpdate();
        }
    }

    /** Until a backend of the baseline waits on a lock: its insert met the rival's uncommitted row. */
    private static void awaitAppendWaitingForALock() throws Exception {
        LocalStack stack = LocalStack.shared();
        try (Connection c = stack.connectToDatabase();
             PreparedStatement waiting = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                     + " AND query LIKE '%" + PostgresBaseline.SCHEMA + ".events%'")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a baseline append waiting for the rival's row").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static PostgresBaseline baselineOnTheSharedStack() throws SQLException {
        LocalStack stack = LocalStack.shared();
        EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())),
                "baseline-test", true);
        return new PostgresBaseline(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), codec, 4);
    }
}
