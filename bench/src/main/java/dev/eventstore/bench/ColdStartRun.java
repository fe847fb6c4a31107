package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The cold-start rows: {@link ColdStart} in new JVMs (this one's class path, the JVM's default options), the store's and
 * the baseline's in turn, the medians of each reported.
 */
final class ColdStartRun {

    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private final LocalStack stack;
    private final PrintStream out;

    ColdStartRun(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    void run(BenchReport report, int pairs) throws IOException, InterruptedException {
        List<ColdStart.Times> store = new ArrayList<>();
        List<ColdStart.Times> baseline = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            // Both orders, so that neither target always starts right after the other's JVM left the box.
            boolean storeFirst = pair % 2 == 0;
            for (boolean storeNow : storeFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                ColdStart.Times times = storeNow ? child(List.of("store", stack.bootstrapServers(), stack.schemaRegistryUrl()))
                        : child(List.of("baseline", stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), stack.schemaRegistryUrl()));
                (storeNow ? store : baseline).add(times);
                out.printf("  %s: main after %.0f ms, opened in %.0f ms, first append %.0f ms, second %.1f ms%n",
                        storeNow ? "eventstore" : "postgres baseline", times.startedMs(), times.openMs(), times.firstMs(), times.secondMs());
            }
        }
        row(report, "a new JVM's first append acknowledged, from the JVM's start, median", store, baseline,
                ColdStart.Times::toFirstAppendMs);
        row(report, "  of which the JVM's start to main", store, baseline, ColdStart.Times::startedMs);
        row(report, "  of which opening the client (the baseline: a connection)", store, baseline, ColdStart.Times::openMs);
        row(report, "  of which the first append", store, baseline, ColdStart.Times::firstMs);
        row(report, "the second append", store, baseline, ColdStart.Times::secondMs);
    }

    private static void row(BenchReport report, String metric, List<ColdStart.Times> store, List<ColdStart.Times> baseline,
                            ToDoubleFunction<ColdStart.Times> figure) {
        report.add("cold", metric, "ms", Medians.of(store, figure), Medians.of(baseline, figure));
    }

    private static ColdStart.Times child(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ColdStart.class.getName()));
        command.addAll(args);
        // Into a file, not a pipe: reading a pipe to its end would wait on a hung child past any timeout.
        Path log = Files.createTempFile("cold-start-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the cold-start JVM (" + args.get(0) + ") did not end in " + CHILD_TIMEOUT_SECONDS + " s");
            }
            List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
            return output.stream().filter(line -> line.startsWith(ColdStart.LINE + " ")).reduce((first, last) -> last)
                    .filter(line -> process.exitValue() == 0)
                    .map(ColdStart.Times::parse)
                    .orElseThrow(() -> new IllegalStateException("the cold-start JVM (" + args.get(0) + ") exited with "
                            + process.exitValue() + ": " + String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size()))));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
