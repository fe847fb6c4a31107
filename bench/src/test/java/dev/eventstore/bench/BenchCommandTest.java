package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options are refused with exit code 2 and a reason, before the stack starts. */
class BenchCommandTest {

    @Test
    void anUnknownWorkloadInOnlyIsRefused() {
        assertThat(refusal("--only", "W3,W9")).contains("--only takes some of [W1, W1any, W2, W3, W4, W5, cold, index, latency], not [W3, W9]");
    }

    @Test
    void aLatencyRateOutsideZeroToOneOfW1IsRefused() {
        assertThat(refusal("--latency-at", "1.5")).contains("--latency-at takes a fraction in (0, 1], not 1.5");
    }

    @Test
    void aNegativeFixedLatencyRateIsRefused() {
        assertThat(refusal("--latency-rate", "-5")).contains("--latency-rate takes 0 to 1000000.0 appends/s, not -5.0");
    }

    @Test
    void aFixedRateRowOfNoTimeOrLongerThanAnHourIsRefused() {
        assertThat(refusal("--latency-seconds", "0")).contains("--latency-seconds takes 1 to 3600 s, not 0");
        assertThat(refusal("--latency-seconds", "3601")).contains("--latency-seconds takes 1 to 3600 s, not 3601");
    }

    @Test
    void aQuickSmokeRunIsRefused() {
        assertThat(refusal("--quick", "--smoke")).contains("--quick and --smoke are two sizes of run: give one");
    }

    private static String refusal(String... args) {
        StringWriter errors = new StringWriter();
        int exit = new CommandLine(new BenchCommand((stack, topics, stateDir, schema) -> {
            throw new AssertionError("the store must not start: the options are refused first");
        })).setErr(new PrintWriter(errors)).execute(args);
        assertThat(exit).as("exit code").isEqualTo(2);
        return errors.toString();
    }
}
