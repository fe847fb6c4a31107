package dev.eventstore.reader.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.reader.ReaderStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member killed with SIGKILL mid-way and started again: the group resumes, no event is lost. */
class SubscriptionKillTest {

    private static final int EVENTS = 6_000;

    @TempDir
    Path dir;

    @Test
    void aMemberKilledMidWayAndRestartedResumesWithoutLosingAnEvent() throws Exception {
        try (ReaderStack store = new ReaderStack()) {
            store.produce("Kill", 30, EVENTS, 100);
            Path handled = dir.resolve("handled.txt");
            String group = "kill-" + UUID.randomUUID();

            Process first = start(store, group, handled, dir.resolve("first.log"));
            try {
                awaitLines(handled, 1_500, first);
            } finally {
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            int beforeKill = Files.readAllLines(handled).size();
            assertThat(beforeKill).as("killed mid-way").isLessThan(EVENTS);

            Process second = start(store, group, handled, dir.resolve("second.log"));
            try {
                awaitDistinct(handled, EVENTS, second);
            } finally {
                second.destroy();
                second.waitFor(20, TimeUnit.SECONDS);
            }
            List<String> lines = Files.readAllLines(handled);
            Set<String> distinct = new HashSet<>(lines);
            int duplicates = lines.size() - distinct.size();
            System.out.printf("kill test: handled before kill %d, after restart %d, distinct %d, lost %d, handled twice %d%n",
                    beforeKill, lines.size() - beforeKill, distinct.size(), EVENTS - distinct.size(), duplicates);
            assertThat(distinct).hasSize(EVENTS);
            // At least once: only what was handled after the last commit before the kill comes again.
            assertThat(duplicates).isLessThan(beforeKill);
        }
    }

    private static Process start(ReaderStack store, String group, Path handled, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SubscriptionProcess.class.getName(), store.stack.bootstrapServers(), store.topics.prefix(), group, "Kill",
                handled.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitLines(Path file, int count, Process process) throws Exception {
        long deadline = System.nanoTime() + ReaderStack.WAIT.toNanos();
        while (!Files.exists(file) || Files.readAllLines(file).size() < count) {
            assertThat(process.isAlive()).as("subscription process alive").isTrue();
            assertThat(System.nanoTime()).as(count + " events handled in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitDistinct(Path file, int count, Process process) throws Exception {
        long deadline = System.nanoTime() + ReaderStack.WAIT.toNanos();
        while (new HashSet<>(Files.readAllLines(file)).size() < count) {
            assertThat(process.isAlive()).as("subscription process alive").isTrue();
            assertThat(System.nanoTime()).as(count + " distinct events handled in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
