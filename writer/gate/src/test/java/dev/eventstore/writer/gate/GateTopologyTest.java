package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.AppendRefusals;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppliedRequest;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.AppendLimits;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GateTopologyTest {

    private static final StoreTopics TOPICS = StoreTopics.defaults();
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final SchemaRegistryClient REGISTRY =
            new SchemaRegistryClient(SchemaRegistryConfig.of(LocalStack.shared().schemaRegistryUrl()));
    private static final StoreRecordCodec<AppendRequest> REQUESTS = AppendProtocol.requests(REGISTRY, TOPICS);
    private static final StoreRecordCodec<AppendResult> RESULTS = AppendProtocol.results(REGISTRY, TOPICS);

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> requests;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> results;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gate-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // The gate's RocksDB settings, as a running gate has them: the store of request ids expires file by file.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, GateRocksDbSettings.class);
        props.put(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG, WINDOW.toMillis());
        driver = new TopologyTestDriver(GateTopology.build(TOPICS, AppendLimits.defaults(), WINDOW, REGISTRY), props);
        requests = driver.createInputTopic(TOPICS.appendRequests(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(TOPICS.events(), new StringDeserializer(), new ByteArrayDeserializer());
        results = driver.createOutputTopic(TOPICS.appendResults(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aFirstAppendGetsVersionsFromOneAndItsEventsCarryTheEnvelope() {
        StreamAppend append = append("Account-1", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened", "MoneyDeposited");
        send(append);

        AppendResult result = nextResult();
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(result.getFirstVersion()).isEqualTo(1);
        assertThat(result.getLastVersion()).isEqualTo(2);
        List<TestRecord<String, byte[]>> written = events.readRecordsToList();
        assertThat(written).hasSize(2);
        for (int i = 0; i < 2; i++) {
            TestRecord<String, byte[]> event = written.get(i);
            EventData sent = append.getEvents().get(i);
            assertThat(event.key()).isEqualTo("Account-1");
            assertThat(event.value()).isEqualTo(sent.getPayload().array());
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.STREAM)).hasValue("Account-1");
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.VERSION)).hasValue(Integer.toString(i + 1));
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.EVENT_ID)).hasValue(sent.getEventId());
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.TYPE)).hasValue(sent.getEventType());
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.REQUEST_ID)).hasValue(append.getRequestId());
            assertThat(EnvelopeHeaders.get(event.headers(), EnvelopeHeaders.CORRELATION_ID)).hasValue("correlation-1");
            assertThat(EnvelopeHeaders.metadata(event.headers())).isEqualTo(Map.of("tenant", "acme"));
        }
    }

    @Test
    void anAppendsTraceContextIsCopiedIntoEachOfItsEventsAndARetryWithAnotherContextIsStillTheSameAppend() {
        String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        StreamAppend append = append("Account-T", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened", "MoneyDeposited");
        append.setTraceParent(traceParent);
        append.setTraceState("vendor=a");
        send(append);
        AppendResult original = nextResult();

        // No OpenTelemetry in this gate: the carried context stands for the gate's span, unchanged.
        assertThat(events.readRecordsToList()).hasSize(2).allSatisfy(event -> {
            assertThat(EnvelopeHeaders.get(event.headers(), "traceparent")).hasValue(traceParent);
            assertThat(EnvelopeHeaders.get(event.headers(), "tracestate")).hasValue("vendor=a");
        });
        send(changed(append, retry -> retry.setTraceParent("00-11111111111111111111111111111111-2222222222222222-01")));
        assertRetryAnswered(original);
    }

    @Test
    void aMalformedTraceparentIsIgnoredAndTheAppendIsAppliedWithoutTraceHeaders() {
        StreamAppend append = append("Account-M", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened");
        append.setTraceParent("00-not-hex-at-all-01");
        append.setTraceState("vendor=a");
        send(append);

        assertThat(nextResult().getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        TestRecord<String, byte[]> event = events.readRecord();
        assertThat(event.headers().lastHeader("traceparent")).isNull();
        assertThat(event.headers().lastHeader("tracestate")).isNull();
        assertThat(EnvelopeHeaders.metadata(event.headers())).isEqualTo(Map.of("tenant", "acme"));
    }

    @Test
    void anAppendWithoutATraceContextWritesNoTraceHeaders() {
        send(append("Account-U", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"));
        nextResult();

        assertThat(events.readRecord().headers().lastHeader("traceparent")).isNull();
    }

    @Test
    void aWrongExpectedVersionAppendsNothingAndStatesTheActualVersion() {
        send(append("Account-2", ExpectedVersionKind.ANY, 0, "AccountOpened", "MoneyDeposited", "MoneyDeposited"));
        nextResult();
        events.readRecordsToList();

        send(append("Account-2", ExpectedVersionKind.EXACT, 1, "MoneyWithdrawn"));

        AppendResult result = nextResult();
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.WRONG_EXPECTED_VERSION);
        assertThat(result.getActualVersion()).isEqualTo(3);
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void theNextExactAppendContinuesTheVersions() {
        send(append("Account-3", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"));
        send(append("Account-3", ExpectedVersionKind.EXACT, 1, "MoneyDeposited", "MoneyWithdrawn"));
        send(append("Account-3", ExpectedVersionKind.STREAM_EXISTS, 0, "MoneyDeposited"));

        assertThat(results.readValuesToList()).map(RESULTS::decode)
                .extracting(AppendResult::getFirstVersion, AppendResult::getLastVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L), org.assertj.core.groups.Tuple.tuple(2L, 3L),
                        org.assertj.core.groups.Tuple.tuple(4L, 4L));
        assertThat(events.readRecordsToList()).map(r -> EnvelopeHeaders.require(r.headers(), EnvelopeHeaders.VERSION))
                .containsExactly("1", "2", "3", "4");
    }

    @Test
    void aRetriedRequestIdGetsTheOriginalResultAndAppendsNothing() {
        StreamAppend append = append("Account-4", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened");
        send(append);
        AppendResult original = nextResult();
        events.readRecordsToList();

        send(append);

        assertRetryAnswered(original);
    }

    @Test
    void aRetriedExactAppendGetsTheOriginalResultOnceTheStreamHasMovedOn() {
        StreamAppend first = append("Account-8", ExpectedVersionKind.EXACT, 0, "AccountOpened");
        send(first);
        send(append("Account-8", ExpectedVersionKind.EXACT, 1, "MoneyDeposited"));
        results.readValuesToList();
        events.readRecordsToList();

        send(first);

        AppendResult retried = nextResult();
        assertThat(retried.getDuplicate()).isTrue();
        assertThat(retried.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(retried.getLastVersion()).isEqualTo(1);
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void aRetriedRefusalIsDecidedAgainOnceTheStreamIsAtTheExpectedVersion() {
        // The refusal wrote nothing, so deciding the retry anew appends its events once, at the version it expects.
        StreamAppend early = append("Account-9", ExpectedVersionKind.EXACT, 1, "MoneyDeposited");
        send(early);
        assertThat(nextResult().getOutcome()).isEqualTo(AppendOutcome.WRONG_EXPECTED_VERSION);
        send(append("Account-9", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"));
        nextResult();
        events.readRecordsToList();

        send(early);

        AppendResult retried = nextResult();
        assertThat(retried.getDuplicate()).isFalse();
        assertThat(retried.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(retried.getFirstVersion()).isEqualTo(2);
        assertThat(events.readRecordsToList()).hasSize(1);
    }

    @Test
    void aRefusedAppendDecidedAgainAndAppliedIsAnsweredAsAppliedOnItsNextRetry() {
        // Its id is then remembered twice under its requests' times (refused, then applied): the applied one answers.
        long now = System.currentTimeMillis();
        StreamAppend early = append("Account-14", ExpectedVersionKind.EXACT, 1, "MoneyDeposited");
        assertThat(decidedAt(early, now).getOutcome()).isEqualTo(AppendOutcome.WRONG_EXPECTED_VERSION);
        decidedAt(append("Account-14", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"), now + 1_000);
        AppendResult applied = decidedAt(early, now + 2_000);
        assertThat(applied.getOutcome()).isEqualTo(AppendOutcome.APPENDED);

        send(early, now + 3_000);

        assertRetryAnswered(applied);
    }

    @Test
    void aRequestIdAppliedToOneStreamIsRefusedForANewStreamWhoseVersionProvesTheAppendNew() {
        // Expecting no stream on a new stream: the version proves this append new, not its request id unused.
        StreamAppend applied = append("Account-15", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened");
        send(applied);
        nextResult();
        events.readRecordsToList();

        send(withRequestId(append("Account-16", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"), applied.getRequestId()));

        AppendResult refused = nextResult();
        assertThat(refused.getOutcome()).isEqualTo(AppendOutcome.INVALID);
        assertThat(refused.getStreamId()).isEqualTo("Account-16");
        assertThat(refused.getError()).isEqualTo(AppendRefusals.requestIdReused(
                "was used for an append to stream Account-15, not Account-16"));
        assertThat(events.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(GateTopology.VERSIONS_STORE).get("Account-16")).isNull();
    }

    @Test
    void aRequestIdIsRefusedForAnAppendThatDiffersInAnythingItWritesOrExpects() {
        StreamAppend applied = append("Account-17", ExpectedVersionKind.ANY, 0, "AccountOpened", "MoneyDeposited");
        send(applied);
        nextResult();
        events.readRecordsToList();
        List<StreamAppend> others = List.of(
                changed(applied, a -> a.getEvents().get(1).setEventId(UUID.randomUUID().toString())),
                changed(applied, a -> a.getEvents().get(1).setEventType("MoneyWithdrawn")),
                changed(applied, a -> a.getEvents().get(1).setPayload(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, 1}))),
                changed(applied, a -> a.getEvents().get(1).setMetadata(Map.of("tenant", "other"))),
                changed(applied, a -> a.setEvents(List.of(a.getEvents().get(0)))),
                changed(applied, a -> a.setExpectedKind(ExpectedVersionKind.STREAM_EXISTS)),
                changed(applied, a -> a.setCorrelationId("correlation-2")),
                changed(applied, a -> a.setCausationId("cause-1")));

        others.forEach(this::send);

        assertThat(results.readValuesToList()).map(RESULTS::decode).hasSize(others.size()).allSatisfy(refused -> {
            assertThat(refused.getOutcome()).isEqualTo(AppendOutcome.INVALID);
            assertThat(AppendRefusals.isRequestIdReused(refused.getError())).isTrue();
        });
        assertThat(events.isEmpty()).isTrue();
        send(applied);
        assertThat(nextResult().getDuplicate()).as("the id still answers its own append").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"time-ordered", "random", "own key"})
    void aRetriedRequestIdOfAnyFormIsFoundInTheStoreOfRequestIds(String form) {
        long now = System.currentTimeMillis();
        String requestId = switch (form) {
            case "time-ordered" -> timeOrderedId(now);
            case "random" -> UUID.randomUUID().toString();
            default -> "payment-" + UUID.randomUUID();
        };
        StreamAppend append = withRequestId(append("Account-10", ExpectedVersionKind.ANY, 0, "AccountOpened"), requestId);
        AppendResult original = decidedAt(append, now);

        send(append, now + 5_000);

        assertRetryAnswered(original);
        AppliedRequest remembered = driver.<String, AppliedRequest>getKeyValueStore(GateTopology.REQUEST_IDS_STORE).get(requestId);
        assertThat(remembered.getOriginalResult()).isEqualTo(original);
    }

    @Test
    void aRetryOfAnAppendAnEarlierGateDecidedIsAnsweredFromItsWindowStores() {
        // An upgrade from a gate that kept request ids in two window stores: a time-ordered id filed under its own
        // time, a key of the caller's own under its request's time.
        long now = System.currentTimeMillis();
        StreamAppend timeOrdered = withRequestId(append("Account-11", ExpectedVersionKind.ANY, 0, "AccountOpened"), timeOrderedId(now - 60_000));
        StreamAppend ownKey = withRequestId(append("Account-12", ExpectedVersionKind.ANY, 0, "AccountOpened"), "payment-12");
        AppendResult first = decidedByAnEarlierGate(GateTopology.APPLIED_BY_ID_TIME_STORE, timeOrdered, 3, now - 60_000);
        AppendResult second = decidedByAnEarlierGate(GateTopology.APPLIED_STORE, ownKey, 5, now - 30_000);

        send(timeOrdered, now);
        assertRetryAnswered(first);
        send(ownKey, now);
        assertRetryAnswered(second);
        send(withRequestId(append("Account-13", ExpectedVersionKind.ANY, 0, "AccountOpened"), "payment-12"), now);
        assertThat(nextResult().getError()).isEqualTo(AppendRefusals.requestIdReused(
                "was used for an append to stream Account-12, not Account-13"));
    }

    @Test
    void theEarlierGatesStoresAreNotReadOnceTheWindowHasPassedTheirNewestEntry() {
        long now = System.currentTimeMillis();
        long longAgo = now - 2 * WINDOW.toMillis() - 1_000;
        StreamAppend forgotten = withRequestId(append("Account-14", ExpectedVersionKind.ANY, 0, "AccountOpened"), "payment-14");
        decidedByAnEarlierGate(GateTopology.APPLIED_STORE, forgotten, 2, longAgo);

        // Read, the store would answer for Account-14 and refuse this append as reusing the id.
        AppendResult result = decidedAt(withRequestId(append("Account-15", ExpectedVersionKind.ANY, 0, "AccountOpened"), "payment-14"), now);

        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(result.getDuplicate()).isFalse();
    }

    /** Files {@code append} as applied at {@code versions} in an earlier gate's window store, as that gate did. */
    private AppendResult decidedByAnEarlierGate(String store, StreamAppend append, long version, long time) {
        AppendResult result = AppendResult.newBuilder().setRequestId(append.getRequestId()).setStreamId(append.getStreamId())
                .setOutcome(AppendOutcome.APPENDED).setFirstVersion(version).setLastVersion(version).setActualVersion(version - 1).build();
        byte[] fingerprint = new AppendFingerprint().of(append);
        driver.<String, AppliedRequest>getWindowStore(store)
                .put(append.getRequestId(), new AppliedRequest(result, Instant.ofEpochMilli(time), ByteBuffer.wrap(fingerprint)), time);
        return result;
    }

    @Test
    void aMalformedAppendIsRefusedAndWritesNothing() {
        send(append("", ExpectedVersionKind.ANY, 0, "AccountOpened"));

        AppendResult result = nextResult();
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.INVALID);
        assertThat(result.getError()).isEqualTo("stream id must not be empty");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void anIdentifierAnotherClientSendsUnnormalisedOrBlankIsRefusedByTheGateToo() {
        // The gate serves any client, not only ours: it applies the identifier rules again.
        send(append("Cafe\u0301-1", ExpectedVersionKind.ANY, 0, "AccountOpened"));
        send(append("   ", ExpectedVersionKind.ANY, 0, "AccountOpened"));
        send(append("Account-8", ExpectedVersionKind.ANY, 0, "Account\u202EOpened"));

        assertThat(nextResult().getError()).isEqualTo("stream id is not in Unicode normal form C (NFC); send Normalizer.normalize(id, NFC)");
        assertThat(nextResult().getError()).isEqualTo("stream id must not be blank");
        assertThat(nextResult().getError()).isEqualTo("event 0: event type holds the invisible format character U+202E at index 7");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRequestIsSkippedAndTheNextOneIsDecided() {
        requests.pipeInput("Account-5", new byte[] {1, 2, 3});
        send(append("Account-5", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"));

        assertThat(nextResult().getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(results.isEmpty()).isTrue();
    }

    @Test
    void severalAppendsInOneRequestAreEachDecidedAndAnswered() {
        AppendRequest request = new AppendRequest(AppendProtocol.VERSION, 0, Instant.now(), List.of(
                append("Account-6", ExpectedVersionKind.NO_STREAM, 0, "AccountOpened"),
                append("Account-7", ExpectedVersionKind.EXACT, 3, "AccountOpened")));
        requests.pipeInput("Account-6", REQUESTS.encode(request));

        List<AppendResult> answered = results.readValuesToList().stream().map(RESULTS::decode).toList();
        assertThat(answered).extracting(AppendResult::getStreamId, AppendResult::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Account-6", AppendOutcome.APPENDED),
                org.assertj.core.groups.Tuple.tuple("Account-7", AppendOutcome.WRONG_EXPECTED_VERSION));
        assertThat(events.readRecordsToList()).hasSize(1);
    }

    private void send(StreamAppend append) {
        requests.pipeInput(append.getStreamId(), REQUESTS.encode(new AppendRequest(AppendProtocol.VERSION, 0, Instant.now(), List.of(append))));
    }

    private void send(StreamAppend append, long timestamp) {
        requests.pipeInput(append.getStreamId(), REQUESTS.encode(new AppendRequest(AppendProtocol.VERSION, 0, Instant.now(), List.of(append))), timestamp);
    }

    /** Sends an append with the request time given and returns its result, its events read off. */
    private AppendResult decidedAt(StreamAppend append, long timestamp) {
        send(append, timestamp);
        AppendResult result = nextResult();
        events.readRecordsToList();
        return result;
    }

    private void assertRetryAnswered(AppendResult original) {
        AppendResult retried = nextResult();
        assertThat(retried.getDuplicate()).isTrue();
        assertThat(retried.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(retried.getLastVersion()).isEqualTo(original.getLastVersion());
        assertThat(events.isEmpty()).isTrue();
    }

    /** A deep copy of {@code append} (same request id) with one change. */
    private static StreamAppend changed(StreamAppend append, java.util.function.Consumer<StreamAppend> change) {
        StreamAppend copy = StreamAppend.newBuilder(append).build();
        copy.setEvents(append.getEvents().stream().map(e -> EventData.newBuilder(e).build()).collect(java.util.stream.Collectors.toList()));
        change.accept(copy);
        return copy;
    }

    private static StreamAppend withRequestId(StreamAppend append, String requestId) {
        append.setRequestId(requestId);
        return append;
    }

    /** A version 7 UUID made at {@code millis} (random bits zero: unique enough within one test). */
    private static String timeOrderedId(long millis) {
        return String.format("%08x-%04x-7000-8000-%012x", millis >>> 16, millis & 0xffff, millis);
    }

    private AppendResult nextResult() {
        return RESULTS.decode(results.readValue());
    }

    static StreamAppend append(String streamId, ExpectedVersionKind kind, long expected, String... types) {
        List<EventData> data = java.util.Arrays.stream(types)
                .map(type -> new EventData(UUID.randomUUID().toString(), type,
                        ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, (byte) type.length()}), Map.of("tenant", "acme")))
                .toList();
        return new StreamAppend(UUID.randomUUID().toString(), streamId, kind, expected, "correlation-1", null, data, null, null, null);
    }
}
