package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
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
            assertThat(baseline.catchUp(6 + race.successes())).isEqualTo(6 + race.successes());
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

    private static PostgresBaseline baselineOnTheSharedStack() throws SQLException {
        LocalStack stack = LocalStack.shared();
        EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())),
                "baseline-test", true);
        return new PostgresBaseline(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), codec, 4);
    }
}
