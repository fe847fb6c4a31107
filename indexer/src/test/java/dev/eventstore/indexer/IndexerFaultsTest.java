package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexer under faults: PostgreSQL gone for 30 s, and the indexer process killed mid-load. */
class IndexerFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void postgresUnavailableForThirtySecondsDelaysTheIndexButLosesNothing() throws Exception {
        int port = freePort();
        EmbeddedPostgres postgres = startPostgres(port);
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared())) {
            log.useDatabase("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            try (Indexer indexer = Indexer.start(log.indexerConfig())) {
                log.append(20, 1_000);
                log.awaitIndexed(1_000, WAIT);

                postgres.close();
                log.append(20, 2_000);
                Thread.sleep(30_000);
                assertThat(indexer.lag().totalEvents()).as("events waiting for PostgreSQL").isPositive();
                postgres = startPostgres(port);

                log.awaitIndexed(3_000, WAIT);
                log.assertIndexEqualsLog();
                assertThat(indexer.indexedEvents()).isEqualTo(3_000);
            }
        } finally {
            postgres.close();
        }
    }

    @Test
    void anIndexerProcessKilledMidLoadAndRestartedLeavesTheIndexAndItsPayloadsJsonEqualToTheLog() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared())) {
            Path settings = dir.resolve("indexer.properties");
            try (Writer out = Files.newBufferedWriter(settings)) {
                Properties properties = log.indexerProperties();
                properties.setProperty("index.data.json", "true"); // the optional JSON projection: exactly once too
                properties.store(out, null);
            }
            int total = 40_000;
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total / 1_000; i++) {
                    log.append(500, 1_000);
                }
            });
            for (int kill = 1; kill <= 2; kill++) {
                Process indexer = startIndexerProcess(settings, dir.resolve("indexer-" + kill + ".log"));
                long before = log.indexedCount();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (log.indexedCount() < before + 3_000 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                indexer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                assertThat(log.indexedCount()).as("indexed before kill %d", kill).isLessThan(total);
            }
            Process last = startIndexerProcess(settings, dir.resolve("indexer-last.log"));
            try {
                load.join();
                log.awaitIndexed(total, WAIT);
                Thread.sleep(500);
                assertThat(log.indexedCount()).isEqualTo(total);
                log.assertIndexEqualsLog();
                log.assertEveryRowHoldsItsPayloadsJson();
            } finally {
                last.destroy();
                last.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startIndexerProcess(Path settings, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                IndexerMain.class.getName(), settings.toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
