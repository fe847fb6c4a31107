package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.load.ExactVersionLoad;
import dev.eventstore.writer.load.LoadVerdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with real separate processes: the broker (a child JVM of the stack), the gate and the indexer
 * (each started as {@code ./eventstore gate|indexer}) are killed or stopped under load and restarted.
 * Each test reports acknowledged / present / lost / duplicated, and checks that PostgreSQL ends up equal
 * to the log. The stack is this class's own, since one test restarts its broker.
 */
class ProcessFaultsTest {

    private static final int STREAMS = 200;
    private static final int WRITERS = 24;
    private static final int GATE = 0;
    private static final int INDEXER = 1;

    private static LocalStack stack;

    @TempDir
    Path dir;

    private StoreTopics topics;
    private String indexSchema;
    private Path settings;
    private final List<RoleProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        stack = LocalStack.start(LocalStackOptions.defaults());
    }

    @AfterAll
    static void stopServers() {
        stack.close();
    }

    @BeforeEach
    void writeSettings() throws IOException {
        String prefix = "pf" + UUID.randomUUID().toString().substring(0, 8);
        topics = new StoreTopics(prefix);
        indexSchema = prefix;
        // A killed member's partitions move after the session timeout: keep it short (passed through to Kafka).
        settings = RoleProcess.writeSettings(stack, prefix, dir, "kafka.session.timeout.ms=6000");
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (RoleProcess process : processes) {
            process.kill();
        }
    }

    @Test
    void aGateKilledUnderLoadAndRestartedLosesAndDuplicatesNothing() throws Exception {
        // Down longer than the clients' 5 s timeout: the appends in flight at the kill time out (outcome unknown)
        // however fast the restarted gate takes over. A 1 s outage left that to the restart's speed, and one CI
        // run recovered within the timeout, so no client saw the fault.
        ExactVersionLoad load = underLoad("Account-gatekill", () -> killAndRestart(GATE, "gate", 6_000, 4_000));

        LoadVerdict verdict = report("gate SIGKILL", load);
        assertThat(verdict.errorsByType().keySet()).as("appends whose outcome the clients could not know during the outage")
                .containsAnyOf("AppendOutcomeUnknownException", "AppendNotSentException");
    }

    @Test
    void aBrokerStoppedAndRestartedUnderLoadLosesAndDuplicatesNothing() throws Exception {
        ExactVersionLoad load = underLoad("Account-brokerstop", () -> {
            stack.broker().stop();
            Thread.sleep(2_000);
            stack.broker().start();
            Thread.sleep(8_000);
        });

        report("broker stop and restart", load);
        assertThat(processes).as("the gate and the indexer rode out the broker's absence").allMatch(RoleProcess::isAlive);
    }

    @Test
    void anIndexerKilledMidBatchAndRestartedLeavesPostgresEqualToTheLog() throws Exception {
        ExactVersionLoad load = underLoad("Account-indexerkill", () -> killAndRestart(INDEXER, "indexer", 2_000, 3_000));

        report("indexer SIGKILL", load);
    }

    /** What a test does to the running processes while the load runs. */
    private interface Fault {
        void inflict() throws Exception;
    }

    /** Starts the gate and the indexer as processes, loads them, inflicts the fault after 4 s, and stops the load. */
    private ExactVersionLoad underLoad(String streamPrefix, Fault fault) throws Exception {
        processes.add(GATE, RoleProcess.startReady("gate", settings, dir));
        processes.add(INDEXER, RoleProcess.startReady("indexer", settings, dir));
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                .withTopics(topics).withDefaultTimeout(Duration.ofSeconds(5)))) {
            ExactVersionLoad load = ExactVersionLoad.start(client, streamPrefix, STREAMS, WRITERS);
            Thread.sleep(4_000);
            int beforeFault = load.acknowledged();
            assertThat(beforeFault).as("acknowledged before the fault").isPositive();
            fault.inflict();
            load.stop();
            assertThat(load.acknowledged()).as("acknowledged after the fault, so the recovery was loaded too").isGreaterThan(beforeFault);
            return load;
        }
    }

    /** SIGKILL, down for {@code downMillis}, started again, then {@code afterMillis} more of the load. */
    private void killAndRestart(int process, String role, long downMillis, long afterMillis) throws Exception {
        processes.get(process).kill();
        Thread.sleep(downMillis);
        processes.set(process, RoleProcess.startReady(role, settings, dir));
        Thread.sleep(afterMillis);
    }

    /** Prints and checks what the log and the index hold of the acknowledged appends. */
    private LoadVerdict report(String fault, ExactVersionLoad load) throws Exception {
        LoadVerdict verdict = LoadVerdict.of(load, stack.bootstrapServers(), topics.events());
        Set<String> log = LogIndexCheck.eventsInLog(stack, topics.events());
        Set<String> index = LogIndexCheck.awaitIndexOf(stack, indexSchema, log.size());
        System.out.printf("%s: %s; log %d events, index %d rows%n", fault, verdict, log.size(), index.size());
        assertThat(verdict.lost()).as("acknowledged but not in the log").isZero();
        assertThat(verdict.duplicated()).as("duplicated in the log").isZero();
        assertThat(verdict.gaps()).as("gaps in a stream's versions").isZero();
        assertThat(verdict.errorsByType()).as("conflicts of writers that own their streams").doesNotContainKey("WrongExpectedVersionException");
        assertThat(index).as("the index equals the log (stream, version, event id)").isEqualTo(log);
        // Checked last: a slow machine (400 appends in one CI run on a busy box) must not hide the verdict above.
        assertThat(verdict.acknowledged()).as("acknowledged appends").isGreaterThan(200);
        return verdict;
    }
}
