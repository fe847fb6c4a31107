package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.bench.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A whole {@code ./eventstore bench}, every workload in its order on its own embedded stack, at the smallest sizes
 * ({@code --smoke}): the code paths a full run takes and no unit test does (a full run once failed at W5 for a
 * count that only the workloads before it set wrong). The figures are not judged; what every workload reports is.
 */
class BenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aWholeBenchRunsEveryWorkloadAndReportsEachOnBothTargets() throws Exception {
        Path results = dir.resolve("bench.json");
        Path trace = dir.resolve("trace.csv");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new BenchCommand(StoreServices::onStack))
                    .execute("--smoke", "--output", results.toString(), "--latency-trace", trace.toString());
        } finally {
            System.setOut(stdout);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        stdout.print(output);
        assertThat(exit).as("exit code; the run printed:%n%s", output).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("W1 appends/s ratio vs postgres baseline: none, a smoke run runs every"
                + " workload's code at sizes that measure the JIT compilers, not the targets");

        JsonNode report = new ObjectMapper().readTree(results.toFile());
        assertThat(report.at("/setup/size").asText()).isEqualTo("smoke");
        List<JsonNode> figures = StreamSupport.stream(report.get("figures").spliterator(), false).toList();
        Set<String> workloads = new TreeSet<>();
        figures.forEach(figure -> workloads.add(figure.get("workload").asText()));
        assertThat(workloads).containsExactlyInAnyOrder("W1", "W1any", "W2", "W3", "W4", "latency", "lag", "W5", "cold", "index", "box");

        positiveOnBoth(figure(figures, "W1", "single-event appends, median round"));
        positiveOnBoth(figure(figures, "W1any", "single-event appends, expected version any"));
        positiveOnBoth(figure(figures, "W3", "full read of 1,000 events, median"));
        JsonNode gapless = figure(figures, "W4", "race: versions gapless and unique");
        assertThat(gapless.get("eventstore").asDouble()).as("the store's race").isEqualTo(1);
        assertThat(gapless.get("postgres").asDouble()).as("the baseline's race").isEqualTo(1);
        for (String rate : List.of("half max rate", "5,000 appends/s")) {
            JsonNode failed = figure(figures, "latency", "appends refused or failed at " + rate);
            assertThat(failed.get("eventstore").asDouble()).as("the store's failed appends at " + rate).isZero();
            assertThat(failed.get("postgres").asDouble()).as("the baseline's failed appends at " + rate).isZero();
            assertThat(figure(figures, "lag", "ack to visible in PostgreSQL p99 at " + rate).get("eventstore").asDouble()).isPositive();
        }
        positiveOnBoth(figure(figures, "W5", "catch-up, no-op handler (subscription)"));
        assertThat(figure(figures, "W5", "plain KafkaConsumer, same topic").get("eventstore").asDouble()).isPositive();
        positiveOnBoth(figure(figures, "cold", "a new JVM's first append acknowledged, from the JVM's start, median"));
        positiveOnBoth(figure(figures, "cold", "the second append"));
        assertThat(figure(figures, "index", "indexing from scratch (one indexer)").get("eventstore").asDouble()).isPositive();
        assertThat(figure(figures, "box", "fixed work during W1, median (lower: a faster box)").get("eventstore").asDouble()).isPositive();

        // The fixed-rate row's trace: one line per append, each with its four times.
        List<String> traced = Files.readAllLines(trace);
        assertThat(traced).hasSizeGreaterThan(1_000);
        assertThat(traced.subList(1, traced.size())).allSatisfy(line -> assertThat(line.split(",")).hasSize(4));
    }

    private static JsonNode figure(List<JsonNode> figures, String workload, String metric) {
        return figures.stream().filter(f -> f.get("workload").asText().equals(workload) && f.get("metric").asText().equals(metric))
                .findFirst().orElseThrow(() -> new AssertionError("no figure " + workload + " / " + metric + " in " + figures));
    }

    private static void positiveOnBoth(JsonNode figure) {
        assertThat(figure.get("eventstore").asDouble()).as(figure.get("metric").asText() + ", store").isPositive();
        assertThat(figure.get("postgres").asDouble()).as(figure.get("metric").asText() + ", baseline").isPositive();
    }
}
