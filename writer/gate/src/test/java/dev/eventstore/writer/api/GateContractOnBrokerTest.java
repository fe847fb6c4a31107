package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.schemas.EnvelopeHeaders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's contract on the real broker of the embedded stack, plus what only a real client shows. */
class GateContractOnBrokerTest extends GateContract {

    @TempDir
    static Path stateDir;

    private static BrokerGate gate;

    @BeforeAll
    static void startGate() {
        gate = BrokerGate.start(stateDir);
    }

    @AfterAll
    static void stopGate() {
        gate.close();
    }

    @Override
    GateUnderTest gate() {
        return gate;
    }

    @Test
    void theStoreOfRequestIdsExpiresFileByFileAndItsChangelogByTime() throws Exception {
        String stream = newStream();
        gate.client.append(stream, ExpectedVersion.noStream(), List.of(deposit(stream))).get();

        // RocksDB writes the options each store opened with: FIFO compaction, a time to live of the window and a tenth.
        List<Path> options;
        try (Stream<Path> files = Files.walk(stateDir)) {
            options = files.filter(file -> file.getParent().getFileName().toString().equals("request-ids")
                    && file.getFileName().toString().startsWith("OPTIONS-")).toList();
        }
        assertThat(options).as("one store per task").isNotEmpty();
        for (Path file : options) {
            assertThat(Files.readString(file)).contains("compaction_style=kCompactionStyleFIFO").contains("ttl=660");
        }
        String changelog = gate.gate.config().applicationId() + "-request-ids-changelog";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, gate.stack.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(config.get("retention.ms").value()).isEqualTo("660000");
        }
    }

    @Test
    void anUnreadableRecordOnTheRequestsTopicIsSkippedAndTheGateGoesOn() throws Exception {
        String stream = newStream();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, gate.stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(gate.topics.appendRequests(), stream, new byte[] {42, 0, 1})).get();
        }

        AppendResult result = gate.client.append(stream, ExpectedVersion.noStream(), List.of(deposit(stream))).get();

        assertThat(result.lastVersion()).isEqualTo(1);
    }

    @Test
    void thousandsOfAppendsInFlightFromOneClientAllComplete() throws Exception {
        int streams = 1_000;
        int perStream = 5;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ids.add(newStream());
        }
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int round = 0; round < perStream; round++) {
            for (String stream : ids) {
                futures.add(gate.client.append(stream, ExpectedVersion.any(), List.of(deposit(stream))));
            }
        }
        int inFlightAfterSending = gate.client.inFlight();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();

        assertThat(inFlightAfterSending).as("appends in flight right after sending").isGreaterThan(1_000);
        Map<String, Set<Long>> versions = new HashMap<>();
        for (CompletableFuture<AppendResult> future : futures) {
            AppendResult result = future.get();
            versions.computeIfAbsent(result.streamId(), s -> new java.util.TreeSet<>()).add(result.lastVersion());
        }
        assertThat(versions).hasSize(streams);
        assertThat(versions.values()).allSatisfy(v -> assertThat(v).containsExactly(1L, 2L, 3L, 4L, 5L));
        assertThat(gate.client.scheduledTimeouts()).as("timeouts of answered appends still queued").isZero();
    }

    @Test
    void aTimedOutAppendRetriedWithRetryOfIsAppliedOnce() throws Exception {
        String stream = newStream();
        List<NewEvent> events = List.of(deposit(stream));
        AppendOutcomeUnknownException unknown;
        try {
            gate.client.append(stream, ExpectedVersion.noStream(), events,
                    AppendOptions.defaults().correlationId("order-7").timeout(Duration.ofMillis(1))).get();
            throw new AssertionError("a 1 ms timeout was met");
        } catch (ExecutionException e) {
            unknown = (AppendOutcomeUnknownException) e.getCause();
        }
        assertThat(unknown.isRetryable()).isTrue();
        assertThat(unknown.getMessage()).contains("Retrying it with AppendOptions.retryOf(this exception) and the same events is safe");

        AppendOptions retry = AppendOptions.retryOf(unknown).timeout(Duration.ofSeconds(30));
        AppendResult retried = gate.client.append(stream, ExpectedVersion.noStream(), events, retry).get();
        AppendResult again = gate.client.append(stream, ExpectedVersion.noStream(), events, retry).get();

        assertThat(retried.requestId()).isEqualTo(unknown.requestId());
        assertThat(retried.lastVersion()).isEqualTo(1);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.lastVersion()).isEqualTo(1);
        assertThat(gate.versionsInLog(stream, 1)).containsExactly(1L);
        assertThat(BrokerGate.readLog(gate.stack, gate.topics).get(stream)).singleElement().satisfies(event ->
                assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.CORRELATION_ID)).hasValue("order-7"));
    }

    @Test
    void afterATimeoutTheRequestIdIsRefusedAtOnceForOtherEventsNotAnsweredWithTheLateResultOfTheFirst() throws Exception {
        // The first attempt's result arrives late, under the same request id: it must not answer the second.
        String stream = newStream();
        AppendOutcomeUnknownException unknown;
        try {
            gate.client.append(stream, ExpectedVersion.any(), List.of(deposit(stream)),
                    AppendOptions.defaults().idempotencyKey("payment-" + stream).timeout(Duration.ofMillis(1))).get();
            throw new AssertionError("a 1 ms timeout was met");
        } catch (ExecutionException e) {
            unknown = (AppendOutcomeUnknownException) e.getCause();
        }

        CompletableFuture<AppendResult> other = gate.client.append(stream, ExpectedVersion.any(), List.of(deposit(stream)),
                AppendOptions.defaults().idempotencyKey(unknown.requestId()));

        assertThat(other).as("refused before anything is sent").isCompletedExceptionally();
        assertThatThrownBy(other::join).cause().isInstanceOf(RequestIdReusedException.class)
                .hasMessageContaining("whose outcome is unknown");
        assertThat(gate.versionsInLog(stream, 1)).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void oneOptionsValueSharedByAppendsInFlightAtOnceCompletesEachWithItsOwnResult() throws Exception {
        String first = newStream();
        String second = streamOnTheSamePartitionAs(first);
        AppendOptions shared = AppendOptions.defaults().correlationId("order-7");

        CompletableFuture<AppendResult> toFirst = gate.client.append(first, ExpectedVersion.noStream(), List.of(deposit(first)), shared);
        CompletableFuture<AppendResult> toSecond = gate.client.append(second, ExpectedVersion.noStream(), List.of(deposit(second)), shared);

        assertThat(toFirst.get(30, TimeUnit.SECONDS).streamId()).isEqualTo(first);
        assertThat(toSecond.get(30, TimeUnit.SECONDS).streamId()).isEqualTo(second);
        assertThat(gate.versionsInLog(first, 1)).containsExactly(1L);
        assertThat(gate.versionsInLog(second, 1)).containsExactly(1L);
    }

    @Test
    void aSecondAppendWithTheKeyOfOneInFlightIsRefusedAtOnceAndTheFirstCompletes() throws Exception {
        String first = newStream();
        String second = streamOnTheSamePartitionAs(first);
        AppendOptions keyed = AppendOptions.defaults().idempotencyKey("transfer-" + first);

        CompletableFuture<AppendResult> inFlight = gate.client.append(first, ExpectedVersion.noStream(), List.of(deposit(first)), keyed);
        CompletableFuture<AppendResult> refused = gate.client.append(second, ExpectedVersion.noStream(), List.of(deposit(second)), keyed);

        assertThat(refused).as("refused before anything is sent").isCompletedExceptionally();
        assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(RequestIdReusedException.class, e -> {
            assertThat(e.requestId()).isEqualTo("transfer-" + first);
            assertThat(e.getMessage()).contains("already in flight");
        });
        AppendResult applied = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(applied.streamId()).isEqualTo(first);
        assertThat(applied.duplicate()).isFalse();
        assertThat(gate.versionsInLog(second, 0)).isEmpty();
    }

    @Test
    void closingAClientCompletesEveryAppendInFlight() {
        AppendClient client = BrokerGate.newClient(gate.stack, gate.topics);
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String stream = newStream();
            futures.add(client.append(stream, ExpectedVersion.any(), List.of(deposit(stream))));
        }

        client.close(Duration.ZERO);

        assertThat(futures).allMatch(CompletableFuture::isDone);
        Map<String, Long> outcomes = futures.stream().collect(Collectors.groupingBy(f -> {
            try {
                f.get();
                return "appended";
            } catch (ExecutionException e) {
                return e.getCause().getClass().getSimpleName();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, Collectors.counting()));
        assertThat(outcomes.keySet()).isSubsetOf("appended", "AppendOutcomeUnknownException");
    }
}
