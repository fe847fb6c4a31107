package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.KeyStoreUnavailableException;
import dev.eventstore.schemas.personal.PersonalCodec;
import dev.eventstore.schemas.personal.PersonalDataException;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamChange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends events to streams through the gate. Thread-safe and pipelined: {@link #append} sends one
 * request record and returns at once; any number of appends may be in flight, and each future completes
 * when the gate's result arrives on this client's reply partition, on one of the client's completion threads
 * ({@code Completions}): a callback may block, even waiting for another append of this client, and the results read
 * after it keep completing on other threads (those read in the same batch as its own wait for it).
 *
 * <p>The future fails with {@link WrongExpectedVersionException} on a conflict,
 * {@link InvalidAppendException} for malformed input (checked here before anything is sent),
 * {@link RequestIdReusedException} (a subtype) when the request id names another append, and
 * {@link AppendOutcomeUnknownException} when the outcome is unknown, in which case retrying with
 * {@link AppendOptions#retryOf} is safe. Personal fields: see {@link #create(AppendClientConfig, MeterRegistry, DataKeyStore)}.
 */
public final class AppendClient implements AutoCloseable {

    /**
     * Kafka's 30 s, lowered: a broker that hangs with its connections open (paused, cut off) holds each
     * request to it this long before the client turns to the partition's new leader (ClusterFaultsTest).
     * The client's {@code kafkaProperties} override it.
     */
    static final int REQUEST_TIMEOUT_MS = 5_000;

    /**
     * How long opening waits for the results topic's partitions, then for its end offset: the reply consumer's
     * {@code default.api.timeout.ms} (Kafka's 60 s, halved), which the client's {@code kafkaProperties} override.
     */
    static final int OPEN_TIMEOUT_MS = 30_000;

    private final AppendClientConfig config;
    private final EventCodec codec;
    private final PersonalCodec payloads;
    private final StoreRecordCodec<AppendRequest> requests;
    private final KafkaProducer<String, byte[]> producer;
    private final ReplyListener replies;
    private final int replyPartition;
    private final ScheduledExecutorService timers;
    private final Thread listenerThread;
    private final ClientMeters meters;
    private final UnknownOutcomes unknownOutcomes = new UnknownOutcomes();
    private final Completions completions = new Completions();
    private final AppendTracing tracing;
    private volatile boolean closed;

    private AppendClient(AppendClientConfig config, MeterRegistry meterRegistry, OpenTelemetry openTelemetry, DataKeyStore keys) {
        this.config = config;
        this.tracing = new AppendTracing(openTelemetry);
        // The reply partition is opened (a consumer, metadata, the list-offsets round trip that fixes where replies
        // start) on a thread of its own while this one loads the registry's client and the producer: one after the
        // other, a new JVM's client took 1.4-1.5 s to open (BENCHMARKS.md, "a new JVM's first append").
        CompletableFuture<OpenedReplies> opening = CompletableFuture.supplyAsync(() -> OpenedReplies.open(config),
                runnable -> daemon(runnable, "append-client-open").start());
        KafkaProducer<String, byte[]> producer = null;
        try {
            SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
            this.codec = new EventCodec(registry, config.topics().events(), config.autoRegisterSchemas());
            this.payloads = new PersonalCodec(codec, keys);
            // The gate registers the request schema at start: a client without registration rights looks it up.
            this.requests = config.autoRegisterSchemas() ? AppendProtocol.requests(registry, config.topics())
                    : AppendProtocol.requests(registry, config.topics()).lookingUpOnly();
            producer = new KafkaProducer<>(producerProperties(config), new StringSerializer(), new ByteArraySerializer());
            OpenedReplies opened = opening.join();
            // Clients spread over the result partitions; each ignores the results of others on its partition.
            this.replyPartition = opened.partition().partition();
            this.replies = new ReplyListener(opened.consumer(), AppendProtocol.results(registry, config.topics()), completions);
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close();
            }
            opening.thenAccept(opened -> opened.consumer().close());
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        this.producer = producer;
        this.timers = timeoutScheduler();
        this.listenerThread = daemon(replies, "append-replies");
        listenerThread.start();
        this.meters = new ClientMeters(meterRegistry, UUID.randomUUID().toString().substring(0, 8), replies::inFlight);
    }

    /** A new consumer of one of the results topic's partitions, picked at random, positioned at its end. */
    private record OpenedReplies(KafkaConsumer<String, byte[]> consumer, TopicPartition partition) {

        static OpenedReplies open(AppendClientConfig config) {
            Map<String, Object> properties = consumerProperties(config);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
            String results = config.topics().appendResults();
            try {
                int partitions = partitionsOf(consumer, results, config);
                TopicPartition partition = new TopicPartition(results, ThreadLocalRandom.current().nextInt(partitions));
                ReplyListener.positionAtEnd(consumer, partition);
                return new OpenedReplies(consumer, partition);
            } catch (TimeoutException e) {
                consumer.close();
                throw new StoreUnavailableException("no broker at " + config.bootstrapServers() + " answered for the store's topic "
                        + results + " within " + properties.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)
                        + " ms (default.api.timeout.ms): are the brokers up and reachable from here?", e);
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
        }

        /**
         * How many partitions the results topic has. The writer's gate creates the store's topics when it starts:
         * a topic that is missing means no writer ever ran with these topics (or the prefix is wrong), which the
         * caller hears as such rather than as an append that times out.
         */
        private static int partitionsOf(KafkaConsumer<String, byte[]> consumer, String topic, AppendClientConfig config) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions.isEmpty()) {
                throw new StoreUnavailableException("the store's topic " + topic + " does not exist on the brokers at "
                        + config.bootstrapServers() + ": start the writer, whose gate creates the store's topics, or check "
                        + "the topics' prefix (\"" + config.topics().prefix() + "\")");
            }
            return partitions.size();
        }
    }

    public static AppendClient create(AppendClientConfig config) {
        return create(config, Metrics.globalRegistry);
    }

    /** A client publishing its latency and appends in flight ({@code eventstore.client.*}) to {@code meters}. */
    public static AppendClient create(AppendClientConfig config, MeterRegistry meters) {
        return create(config, meters, GlobalOpenTelemetry.getOrNoop(), null);
    }

    /**
     * A client whose appends are traced with {@code openTelemetry}: each append's span (from send to result)
     * is a child of the caller's current span, and its W3C context travels with the append to the gate and
     * the events' headers (README, "Tracing"). The other factories use {@link GlobalOpenTelemetry} as set
     * when the client is created (a no-op unless an SDK or the Java agent set it before; they never set it).
     */
    public static AppendClient create(AppendClientConfig config, MeterRegistry meters, OpenTelemetry openTelemetry) {
        return create(config, meters, openTelemetry, null);
    }

    /**
     * A client that encrypts events' personal fields with their data subjects' keys from {@code keys}
     * (without a key store, an event with personal fields is refused). An append then also fails with
     * {@link dev.eventstore.schemas.personal.SubjectForgottenException} for a forgotten subject and with
     * {@link AppendNotSentException} (retryable) while the key store is unreachable; nothing is sent.
     */
    public static AppendClient create(AppendClientConfig config, MeterRegistry meters, DataKeyStore keys) {
        return create(config, meters, GlobalOpenTelemetry.getOrNoop(), keys);
    }

    /** Both: traced with {@code openTelemetry}, personal fields encrypted with keys from {@code keys} (null: none). */
    public static AppendClient create(AppendClientConfig config, MeterRegistry meters, OpenTelemetry openTelemetry, DataKeyStore keys) {
        return new AppendClient(config, meters, openTelemetry, keys);
    }

    public CompletableFuture<AppendResult> append(String streamId, ExpectedVersion expected, List<NewEvent> events) {
        return append(streamId, expected, events, AppendOptions.defaults());
    }

    /**
     * Sends one append. Its request id is the options' {@link AppendOptions#idempotencyKey key}, or a fresh
     * one: an options value without a key can be shared by any number of appends.
     *
     * @return completes with the result, or fails with an {@link AppendException} (the options' timeout, or
     *     the client's default, bounds the wait); never left hanging, {@link #close()} included
     */
    public CompletableFuture<AppendResult> append(String streamId, ExpectedVersion expected, List<NewEvent> events,
                                                  AppendOptions options) {
        return submit("append", streamId, expected, options, 0, requestId -> AppendEncoding.toStreamAppend(streamId, expected, events,
                options, requestId, event -> payload(streamId, event), config.limits()));
    }

    /**
     * Soft-deletes a stream: reads of it fail, category and {@code $all} reads skip its events, and an
     * append expecting no stream or any version starts it again after its last version (versions are never
     * reused). The events stay in the log (see the README's "Deleting and forgetting").
     * Fails with {@link WrongExpectedVersionException} (nothing changed) or {@link StreamDeletedException}
     * (already deleted, or tombstoned).
     */
    public CompletableFuture<StreamChangeResult> deleteStream(String streamId, ExpectedVersion expected) {
        return deleteStream(streamId, expected, AppendOptions.defaults());
    }

    /** {@link #deleteStream(String, ExpectedVersion)} with options: a request id to retry safely, a timeout, ids. */
    public CompletableFuture<StreamChangeResult> deleteStream(String streamId, ExpectedVersion expected, AppendOptions options) {
        return change("delete", streamId, expected, StreamChangeEncoding.delete(), options, 0);
    }

    /**
     * Hard-deletes a stream: as {@link #deleteStream}, and it can never be written again (appends and changes fail
     * with {@link StreamDeletedException}, {@link StreamDeletedException#tombstoned()} true). A soft-deleted stream
     * may be tombstoned.
     */
    public CompletableFuture<StreamChangeResult> tombstoneStream(String streamId, ExpectedVersion expected) {
        return tombstoneStream(streamId, expected, AppendOptions.defaults());
    }

    /** {@link #tombstoneStream(String, ExpectedVersion)} with options. */
    public CompletableFuture<StreamChangeResult> tombstoneStream(String streamId, ExpectedVersion expected, AppendOptions options) {
        return change("tombstone", streamId, expected, StreamChangeEncoding.tombstone(), options, 0);
    }

    /**
     * Truncates a stream: reads start at {@code beforeVersion} and the index drops the events before it.
     * At most the stream's version + 1 (every event); an earlier point than a previous truncation changes nothing.
     * Fails with {@link VersionOutOfRangeException} beyond the end, {@link StreamDeletedException} on a deleted stream.
     */
    public CompletableFuture<StreamChangeResult> truncateStream(String streamId, long beforeVersion) {
        try {
            return change("truncate", streamId, ExpectedVersion.any(), StreamChangeEncoding.truncate(streamId, beforeVersion),
                    AppendOptions.defaults(), beforeVersion);
        } catch (InvalidAppendException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sets a stream's retention, replacing the earlier one; honoured by reads at once and by the index's clean-up. */
    public CompletableFuture<StreamChangeResult> setStreamMetadata(String streamId, StreamMetadata metadata) {
        return change("set metadata", streamId, ExpectedVersion.any(), StreamChangeEncoding.metadata(metadata), AppendOptions.defaults(), 0);
    }

    private CompletableFuture<StreamChangeResult> change(String operation, String streamId, ExpectedVersion expected,
                                                         StreamChange change, AppendOptions options,
                                                         long truncateBefore) {
        return submit(operation, streamId, expected, options, truncateBefore, requestId ->
                StreamChangeEncoding.toStreamAppend(streamId, expected, change, options, requestId, config.limits()))
                .thenApply(StreamChangeResult::of);
    }

    /**
     * Sends one append or change, its request id the options' key or a fresh one, unless that id is in flight
     * here already or names another append whose outcome is unknown (refused at once: an id names one append).
     */
    private CompletableFuture<AppendResult> submit(String operation, String streamId, ExpectedVersion expected,
                                                   AppendOptions options, long truncateBefore,
                                                   Function<String, StreamAppend> appendWithId) {
        Duration timeout = options.timeout().orElse(config.defaultTimeout());
        PendingAppend pending = new PendingAppend(streamId, expected, options, options.requestIdOfCall(), timeout);
        pending.truncateBefore = truncateBefore;
        meters.time(pending.future);
        Span span = tracing.start(operation, streamId, pending.requestId, pending.future);
        if (closed) {
            pending.fail(new IllegalStateException("the append client is closed"));
            return pending.future;
        }
        StreamAppend append;
        byte[] request;
        try {
            append = appendWithId.apply(pending.requestId);
            AppendTracing.carry(span, append);
            request = request(append);
        } catch (InvalidAppendException | AppendNotSentException | PersonalDataException e) {
            pending.fail(e);
            return pending.future;
        }
        Optional<String> reuse = unknownOutcomes.reuse(pending.requestId, append);
        if (reuse.isPresent()) {
            pending.failReused(reuse.get());
            return pending.future;
        }
        if (!replies.expect(pending)) {
            pending.failReused("is already in flight for another append of this client");
            return pending.future;
        }
        pending.onOutcomeUnknown = () -> unknownOutcomes.remember(pending.requestId, append);
        send(pending, request);
        return pending.future;
    }

    /** Sends an expected append's request; a failure to send completes its future (outcome unknown). */
    private void send(PendingAppend pending, byte[] request) {
        try {
            if (closed) {
                // close() may have failed the appends in flight before this one was expected: fail it here.
                throw new IllegalStateException("the append client closed while the append was being sent");
            }
            pending.timer = timers.schedule(() -> timedOut(pending, "no result arrived in time"),
                    pending.timeout.toMillis(), TimeUnit.MILLISECONDS);
            producer.send(new ProducerRecord<>(config.topics().appendRequests(), pending.streamId, request), (metadata, error) -> {
                if (error != null) {
                    sendFailed(pending, error);
                }
            });
        } catch (RuntimeException e) {
            // A closed producer or timer throws here rather than through the callback.
            sendFailed(pending, e);
        }
    }

    /** Timeouts waiting in the scheduler: one per append in flight, none for an answered append. */
    int scheduledTimeouts() {
        return ((ScheduledThreadPoolExecutor) timers).getQueue().size();
    }

    /** Requests this client sent to the schema registry: one per new schema, none once warm. */
    public long schemaRegistryRequests() {
        return codec.registry().requests();
    }

    /** Appends in flight: sent, not yet answered, not timed out. */
    public int inFlight() {
        return replies.inFlight();
    }

    /** The request record of one append or change, in the registry wire format of the protocol. */
    private byte[] request(StreamAppend append) {
        try {
            return AppendEncoding.toRequest(append, replyPartition, config.limits(), requests);
        } catch (SchemaRegistryException e) {
            throw new AppendNotSentException("append to " + append.getStreamId() + " not sent: the request schema could not be"
                    + " registered: " + e.getMessage(), e);
        }
    }

    private byte[] payload(String streamId, NewEvent event) {
        try {
            return payloads.encode(event.data(), event.subjectIn(streamId));
        } catch (KeyStoreUnavailableException e) {
            throw new AppendNotSentException("append to " + streamId + " not sent: " + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            if (!e.isRefusal()) {
                throw new AppendNotSentException("append to " + streamId + " not sent: " + e.getMessage(), e);
            }
            throw new InvalidAppendException("append to " + streamId + " refused: schema of event type " + event.type()
                    + " not accepted: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidAppendException("append to " + streamId + " refused: " + e.getMessage(), e);
        }
    }

    /** On the timeouts' thread, or closing: the future completes on a completion thread. */
    private void timedOut(PendingAppend pending, String why) {
        if (replies.forget(pending)) {
            pending.outcomeUnknown(why, completions);
        }
    }

    /** On the producer's thread, or sending: the future completes on a completion thread. */
    private void sendFailed(PendingAppend pending, Exception error) {
        if (!replies.forget(pending)) {
            return;
        }
        if (error instanceof RecordTooLargeException) {
            completions.execute(() -> pending.fail(
                    new InvalidAppendException("append to " + pending.streamId + " refused by Kafka: " + error.getMessage(), error)));
        } else {
            // The request may have reached the log before the error: the outcome is unknown.
            pending.outcomeUnknown("sending the request failed: " + error, completions);
        }
    }

    /**
     * Stops taking appends, waits up to {@code drain} for the results of those in flight, then fails the
     * rest with {@link AppendOutcomeUnknownException}. No future is left hanging.
     */
    public void close(Duration drain) {
        closed = true;
        producer.flush();
        long deadline = System.nanoTime() + drain.toNanos();
        while (replies.inFlight() > 0 && System.nanoTime() < deadline) {
            Pause.sleep(Duration.ofMillis(5));
        }
        for (PendingAppend pending : replies.pendingAppends()) {
            timedOut(pending, "the client closed before the result arrived");
        }
        try {
            replies.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        completions.close();
        producer.close(Duration.ofSeconds(5));
        meters.remove();
    }

    @Override
    public void close() {
        close(config.defaultTimeout());
    }

    /**
     * One thread for the appends' timeouts. A cancelled timeout leaves the queue at once: by default it
     * would stay there until its time came (30 s later) and wake the thread then, once per answered
     * append (thousands of wake-ups a second, 5–6 % of a core at 8,700 appends/s in the bench).
     */
    private static ScheduledExecutorService timeoutScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "append-timeouts"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static Map<String, Object> producerProperties(AppendClientConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Each produce request wakes the gate's fetch and costs the broker a request's work, whatever it carries:
        // 5 ms against 2 cut the stack's CPU at a steady 5,000 appends/s by a tenth (the broker's 106 µs per append
        // to 85-91) with p50 and p99 unchanged (BENCHMARKS.md, Knobs). A lone append waits it out.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.limits().maxRequestBytes() + 64 * 1024);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.putAll(config.kafkaProperties());
        return props;
    }

    private static Map<String, Object> consumerProperties(AppendClientConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A broker that creates topics on demand (Kafka's default) would otherwise create a results topic of its
        // own default shape when the prefix is wrong, and the client would wait for results no gate writes.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // The broker answers a waiting read_committed fetch as soon as a gate commit moves the partition's
        // stable offset, so the wait does not delay results (bench: decided → acknowledged p50 18.2 ms with
        // 10 ms, 19.4 ms with 100 ms); a short one only polls an idle broker (100 fetches a second at 10 ms).
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, OPEN_TIMEOUT_MS);
        props.putAll(config.kafkaProperties());
        return props;
    }
}
