package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.local.LocalStack;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles as processes ({@code ./eventstore gate}, {@code ./eventstore indexer}): readiness, metrics,
 * health, SIGTERM, a clear exit when a server is unreachable; and the operator commands against them.
 */
class RolesTest {

    @TempDir
    Path dir;

    @Test
    void rolesServeMetricsAndHealthAnswerOperatorCommandsAndStopGracefullyOnSigterm() throws Exception {
        LocalStack stack = LocalStack.shared();
        String prefix = "roles" + UUID.randomUUID().toString().substring(0, 8);
        StoreTopics topics = new StoreTopics(prefix);
        Path settings = settingsFile(stack, prefix);
        RoleProcess gate = RoleProcess.startReady("gate", settings, dir);
        RoleProcess indexer = RoleProcess.startReady("indexer", settings, dir);
        try {
            String stream = "Account-" + UUID.randomUUID();
            SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
            try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                    .withTopics(topics), clientMeters)) {
                for (int i = 0; i < 3; i++) {
                    client.append(stream, ExpectedVersion.exactly(i), List.of(NewEvent.of(new AccountOpened(stream, "Ann", "EUR")))).get();
                }
                assertThatConflict(client, stream);
                assertThat(clientMeters.find("eventstore.client.appends.in.flight").gauge()).isNotNull();
            }
            assertThat(clientMeters.get("eventstore.client.append.latency").tag("outcome", "appended").timer().count()).isEqualTo(3);
            assertThat(clientMeters.get("eventstore.client.append.latency").tag("outcome", "wrong_expected_version").timer().count())
                    .isEqualTo(1);
            assertThat(clientMeters.find("eventstore.client.appends.in.flight").gauge()).as("removed when the client closes").isNull();
            awaitMetric(indexer, "eventstore_indexer_events_total{group=\"" + prefix + "-indexer\"}", 3);
            assertThat(metric(gate, "eventstore_gate_appends_total{gate=\"" + prefix + "-gate\",outcome=\"appended\"}")).isEqualTo(3);
            assertThat(metric(gate, "eventstore_gate_appends_total{gate=\"" + prefix + "-gate\",outcome=\"wrong_expected_version\"}"))
                    .isEqualTo(1);
            assertThat(metric(gate, "eventstore_gate_events_total{gate=\"" + prefix + "-gate\"}")).isEqualTo(3);
            assertThat(metric(indexer, "eventstore_indexer_lag_events{group=\"" + prefix + "-indexer\"}")).isZero();
            assertThat(gate.get("/health").statusCode()).isEqualTo(200);
            assertThat(indexer.get("/health").statusCode()).isEqualTo(200);

            assertThat(command("stream-info", stream, "--config", settings.toString()))
                    .contains("stream: " + stream, "version: 3");
            assertThat(command("streams", "--category", "Account", "--config", settings.toString()))
                    .containsPattern(Pattern.quote(stream) + "\\s+3\\s");
            String lag = command("lag", "--config", settings.toString());
            assertThat(lag).contains("index (schema " + prefix + "): 0 offsets behind");
            assertThat(lag).doesNotContain("subscription group " + prefix + "-indexer");
        } finally {
            assertThat(gate.terminate(Duration.ofSeconds(40))).as("gate exit status after SIGTERM").isEqualTo(143);
            assertThat(indexer.terminate(Duration.ofSeconds(40))).as("indexer exit status after SIGTERM").isEqualTo(143);
        }
        assertThat(gate.output()).contains("The gate stopped");
        assertThat(indexer.output()).contains("The indexer stopped");
    }

    @Test
    void theLagCommandShowsWhatASubscriptionGroupHasNotHandled() throws Exception {
        LocalStack stack = LocalStack.shared();
        String prefix = "lag" + UUID.randomUUID().toString().substring(0, 8);
        StoreTopics topics = new StoreTopics(prefix);
        Path settings = settingsFile(stack, prefix);
        RoleProcess gate = RoleProcess.startReady("gate", settings, dir);
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                .withTopics(topics))) {
            String group = prefix + "-billing";
            List<String> handled = new CopyOnWriteArrayList<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (Subscription subscription = Subscription.start(SubscriptionConfig.of(stack.bootstrapServers(), group)
                    .withTopics(topics), event -> handled.add(event.streamId()), meters)) {
                for (int i = 0; i < 5; i++) {
                    String stream = "Account-" + UUID.randomUUID();
                    client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened(stream, "Ann", "EUR")))).get();
                }
                await("the subscription handles the five events").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> meters.get("eventstore.subscription.lag.events").gauge().value() == 0 && handled.size() >= 5);
            }
            assertThat(command("lag", "--group", group, "--config", settings.toString()))
                    .contains("subscription group " + group + ": 0 offsets behind");
            for (int i = 0; i < 2; i++) {
                String stream = "Account-" + UUID.randomUUID();
                client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened(stream, "Ann", "EUR")))).get();
            }
            Matcher behind = Pattern.compile("subscription group " + group + ": (\\d+) offsets behind")
                    .matcher(command("lag", "--group", group, "--config", settings.toString()));
            assertThat(behind.find()).isTrue();
            // Two events, plus at most one transaction marker after each.
            assertThat(Integer.parseInt(behind.group(1))).isBetween(2, 4);
        } finally {
            gate.terminate(Duration.ofSeconds(40));
        }
    }

    @Test
    void aRoleThatCannotReachItsServersExitsWithAClearMessage() throws Exception {
        LocalStack stack = LocalStack.shared();
        Path settings = settingsFile(stack, "unreachable");
        Files.writeString(settings, "jdbc.url=jdbc:postgresql://127.0.0.1:1/nothing\nstartup.timeout.seconds=2\nmetrics.port=-1\n",
                java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("indexer", "--config", settings.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(status).isEqualTo(Main.UNREACHABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/nothing within 2 s");
    }

    private Path settingsFile(LocalStack stack, String prefix) throws java.io.IOException {
        return RoleProcess.writeSettings(stack, prefix, dir);
    }

    private static void assertThatConflict(AppendClient client, String stream) throws InterruptedException {
        try {
            client.append(stream, ExpectedVersion.exactly(1), List.of(NewEvent.of(new AccountOpened(stream, "Ann", "EUR")))).get();
            throw new AssertionError("an append with a stale expected version was accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WrongExpectedVersionException.class);
        }
    }

    /** Runs a command in this JVM and returns what it printed; fails unless it exits with 0. */
    private static String command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status of %s; it printed:%n%s", String.join(" ", args), printed).isZero();
        return printed;
    }

    private static void awaitMetric(RoleProcess role, String series, double expected) {
        await(series + " reaches " + expected).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric(role, series) >= expected);
    }

    /** The value of one series in the role's Prometheus text; fails when it is absent. */
    private static double metric(RoleProcess role, String series) throws Exception {
        HttpResponse<String> response = role.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(response.body());
        assertThat(value.find()).as("series %s in%n%s", series, response.body()).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
