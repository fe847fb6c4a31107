package dev.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.TraceContext;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One append through the real embedded stack (gate, indexer, subscription) traced with the SDK's in-memory
 * exporter: client → gate → handler in one trace, the index batch linked to it.
 */
class TracingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private static final MeterRegistry meters = new SimpleMeterRegistry();
    private static OpenTelemetrySdk otel;
    private static ClientStack stack;

    @BeforeAll
    static void startStore() throws Exception {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        stack = ClientStack.start(otel, meters);
    }

    @AfterAll
    static void stopStore() {
        stack.close();
        otel.close();
    }

    @Test
    void oneAppendYieldsOneTraceOfTheClientsTheGatesAndTheHandlersSpansAndTheIndexBatchIsLinkedToIt() throws Exception {
        String stream = "Traced-" + UUID.randomUUID();
        List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
        List<SpanContext> handlerSpans = new CopyOnWriteArrayList<>();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings, otel)) {
            Span request = otel.getTracer("test").spanBuilder("http request").startSpan();
            try (Scope ignored = request.makeCurrent()) {
                store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened("1", "Ada", "GBP"))))
                        .get(30, TimeUnit.SECONDS);
            } finally {
                request.end();
            }
            Subscription subscription = store.subscribe("traced-" + UUID.randomUUID(), config -> config.withFilter(EventFilter.streams(stream)),
                    event -> {
                        handled.add(event);
                        handlerSpans.add(Span.current().getSpanContext());
                    });
            subscription.caughtUp().get(60, TimeUnit.SECONDS);
            store.reads().awaitVersion(stream, 1, WAIT);
            RecordedEvent indexed = store.reads().readStream(stream, 1, ReadDirection.FORWARD, 1).get(0);

            String trace = request.getSpanContext().getTraceId();
            SpanData client = awaitSpan(span -> span.getName().equals("eventstore append") && stream.equals(attribute(span, "eventstore.stream")));
            SpanData gate = awaitSpan(span -> span.getName().equals("eventstore gate decide") && stream.equals(attribute(span, "eventstore.stream")));
            SpanData handler = awaitSpan(span -> span.getName().startsWith("eventstore handle") && stream.equals(attribute(span, "eventstore.stream")));
            SpanData batch = awaitSpan(span -> span.getName().equals("eventstore index batch")
                    && span.getLinks().stream().map(LinkData::getSpanContext).anyMatch(link -> link.getTraceId().equals(trace)));

            assertThat(List.of(client, gate, handler)).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(trace));
            assertThat(client.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
            assertThat(gate.getParentSpanId()).isEqualTo(client.getSpanId());
            assertThat(handler.getParentSpanId()).isEqualTo(gate.getSpanId());
            assertThat(attribute(gate, "eventstore.outcome")).isEqualTo("APPENDED");
            assertThat(handlerSpans).extracting(SpanContext::getSpanId).containsExactly(handler.getSpanId());
            // A batch holds many traces: it starts its own and links to the events' contexts, the gate's spans.
            assertThat(batch.getTraceId()).isNotEqualTo(trace);
            assertThat(batch.getLinks()).extracting(link -> link.getSpanContext().getSpanId()).contains(gate.getSpanId());
            // Both ways of reading the event expose the context of the gate's decision.
            assertThat(handled).singleElement().satisfies(event -> assertThat(event.traceContext()).get()
                    .extracting(context -> context.spanContext().getSpanId()).isEqualTo(gate.getSpanId()));
            assertThat(indexed.traceContext()).get().isEqualTo(handled.get(0).traceContext().get());
            assertThat(indexed.traceContext().get().spanContext().getTraceId()).isEqualTo(trace);
        }
    }

    @Test
    void anAppendWithoutOpenTelemetryConfiguredAndNoCurrentSpanPropagatesNothing() throws Exception {
        String stream = "Untraced-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings, OpenTelemetry.noop())) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened("2", "Bob", "EUR"))))
                    .get(30, TimeUnit.SECONDS);
            store.reads().awaitVersion(stream, 1, WAIT);

            RecordedEvent indexed = store.reads().readStream(stream, 1, ReadDirection.FORWARD, 1).get(0);

            assertThat(indexed.traceContext()).isEmpty();
            assertThat(indexed.metadata()).doesNotContainKeys(TraceContext.TRACEPARENT, TraceContext.TRACESTATE);
            assertThat(spans.getFinishedSpanItems()).noneMatch(span -> stream.equals(attribute(span, "eventstore.stream")));
        }
    }

    @Test
    void aMalformedTraceparentFromAnOutsideClientIsIgnoredWhileAnotherAppendOfTheSameRequestKeepsItsOwnContext() throws Exception {
        StoreTopics topics = new StoreTopics(stack.settings.get("topic.prefix").orElseThrow());
        String malformed = "Malformed-" + UUID.randomUUID();
        String traced = sameRequestPartitionAs(malformed, 4);
        Span caller = otel.getTracer("test").spanBuilder("outside caller").startSpan();
        TraceContext callerContext = TraceContext.of(Context.root().with(caller)).orElseThrow();
        caller.end();
        Counter ignored = meters.counter("eventstore.gate.trace.malformed", "gate", topics.prefix() + "-gate");
        double ignoredBefore = ignored.count();

        SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.settings.get("schema.registry.url").orElseThrow()));
        byte[] payload = new EventCodec(registry, topics.events(), true).encode(new AccountOpened("3", "Cy", "GBP"));
        AppendRequest request = new AppendRequest(AppendProtocol.VERSION, 0, Instant.now(), List.of(
                append(malformed, payload, "00-not-a-trace-context-01", "vendor=1"),
                append(traced, payload, callerContext.traceParent(), "vendor=2")));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings.get("kafka.bootstrap.servers").orElseThrow()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.appendRequests(), AppendProtocol.partitionOf(malformed, 4), malformed,
                    AppendProtocol.requests(registry, topics).encode(request))).get(30, TimeUnit.SECONDS);
        }

        try (EventStoreClient store = EventStoreClient.connect(stack.settings, OpenTelemetry.noop())) {
            store.reads().awaitVersion(malformed, 1, WAIT);
            store.reads().awaitVersion(traced, 1, WAIT);
            RecordedEvent withoutContext = store.reads().readStream(malformed, 1, ReadDirection.FORWARD, 1).get(0);
            RecordedEvent withContext = store.reads().readStream(traced, 1, ReadDirection.FORWARD, 1).get(0);

            assertThat(withoutContext.traceContext()).isEmpty();
            assertThat(withoutContext.metadata()).doesNotContainKeys(TraceContext.TRACEPARENT, TraceContext.TRACESTATE);
            assertThat(ignored.count()).isEqualTo(ignoredBefore + 1);
            SpanData gate = awaitSpan(span -> span.getName().equals("eventstore gate decide") && traced.equals(attribute(span, "eventstore.stream")));
            assertThat(gate.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(withContext.traceContext()).get().satisfies(context -> {
                assertThat(context.spanContext().getSpanId()).isEqualTo(gate.getSpanId());
                assertThat(context.traceState()).contains("vendor=2");
            });
        }
    }

    private static StreamAppend append(String stream, byte[] payload, String traceParent, String traceState) {
        return StreamAppend.newBuilder().setRequestId(UUID.randomUUID().toString()).setStreamId(stream)
                .setExpectedKind(ExpectedVersionKind.NO_STREAM).setExpectedVersion(0)
                .setEvents(List.of(new EventData(UUID.randomUUID().toString(), "AccountOpened", ByteBuffer.wrap(payload), Map.of())))
                .setTraceParent(traceParent).setTraceState(traceState).build();
    }

    /** Another stream whose requests go to the same partition, so that one request record can carry both. */
    private static String sameRequestPartitionAs(String stream, int partitions) {
        int partition = AppendProtocol.partitionOf(stream, partitions);
        for (int i = 0; ; i++) {
            String other = "Traced-" + UUID.randomUUID();
            if (AppendProtocol.partitionOf(other, partitions) == partition) {
                return other;
            }
        }
    }

    private static String attribute(SpanData span, String name) {
        return span.getAttributes().asMap().entrySet().stream().filter(entry -> entry.getKey().getKey().equals(name))
                .map(entry -> String.valueOf(entry.getValue())).findFirst().orElse(null);
    }

    private static SpanData awaitSpan(Predicate<SpanData> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SpanData> found = spans.getFinishedSpanItems().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }
}
