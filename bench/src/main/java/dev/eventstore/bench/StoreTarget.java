package dev.eventstore.bench;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.subscription.EventHandler;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The store: appends through the client and the gate, reads from the index, catch-up through a subscription.
 * Its reads return the events with their Avro payloads and leave out the JSON rendering
 * ({@link dev.eventstore.reader.query.DataJson#LEFT_OUT}), as the baseline's rows hold no JSON.
 */
final class StoreTarget implements BenchTarget {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How often a wait checks: the measured figures end when it sees the work done. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final AppendClient client;
    private final EventReader reader;
    private final String bootstrapServers;
    private final StoreTopics topics;
    private final LongSupplier indexedEvents;

    StoreTarget(AppendClient client, EventReader reader, String bootstrapServers, StoreTopics topics, LongSupplier indexedEvents) {
        this.client = client;
        this.indexedEvents = indexedEvents;
        this.reader = reader;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
    }

    @Override
    public String name() {
        return "eventstore";
    }

    @Override
    public CompletableFuture<Long> append(String stream, long expectedVersion, int events) {
        List<NewEvent> batch = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            batch.add(NewEvent.of(new MoneyDeposited(stream, 100L + i)));
        }
        ExpectedVersion expected = expectedVersion == ANY ? ExpectedVersion.any()
                : expectedVersion == NO_STREAM ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expectedVersion);
        return client.append(stream, expected, batch).handle((AppendResult result, Throwable error) -> {
            if (error == null) {
                return result.lastVersion();
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof WrongExpectedVersionException conflict) {
                throw new Conflict(conflict.actualVersion());
            }
            throw new CompletionException(cause);
        });
    }

    @Override
    public List<Long> readStream(String stream) {
        return reader.readStream(stream, 1, ReadDirection.FORWARD, 1_000_000).stream().map(RecordedEvent::version).toList();
    }

    @Override
    public void awaitReadable(String stream, long version) {
        reader.awaitVersion(stream, version, WAIT);
    }

    @Override
    public void settle(long events) throws InterruptedException {
        awaitIndexed(indexedEvents, events, WAIT);
    }

    /** Waits until an indexer has indexed {@code events} events. */
    static void awaitIndexed(LongSupplier indexedEvents, long events, Duration wait) throws InterruptedException {
        if (!Pause.until(() -> indexedEvents.getAsLong() >= events, wait, POLL)) {
            throw new IllegalStateException("the index holds " + indexedEvents.getAsLong() + " of " + events + " events after " + wait);
        }
    }

    @Override
    public CaughtUp catchUp(long total) throws Exception {
        AtomicLong seen = new AtomicLong();
        AtomicLong firstEventNanos = new AtomicLong();
        AtomicLong lastEventNanos = new AtomicLong();
        SubscriptionConfig config = SubscriptionConfig.of(bootstrapServers, "bench-catch-up-" + UUID.randomUUID()).withTopics(topics)
                .withMaxBufferedEvents(10_000);
        // The no-op handler notes when it handled the first and the total-th event: the catch-up ends there, not
        // when this thread's wait looks next.
        EventHandler noOp = event -> {
            long handled = seen.incrementAndGet();
            if (handled == 1) {
                firstEventNanos.set(System.nanoTime());
            }
            if (handled == total) {
                lastEventNanos.set(System.nanoTime());
            }
        };
        try (Subscription subscription = Subscription.start(config, noOp)) {
            if (!Pause.until(() -> seen.get() >= total || !subscription.isRunning(), WAIT.multipliedBy(5), POLL) || seen.get() < total) {
                throw new IllegalStateException("the subscription saw " + seen.get() + " of " + total + " events");
            }
        }
        return new CaughtUp(seen.get(), firstEventNanos.get(), lastEventNanos.get());
    }

    /** W5's limit: a plain {@code KafkaConsumer} reads the same events topic from the start. */
    CaughtUp plainConsumerCatchUp(long total) {
        return PlainConsumerCatchUp.read(bootstrapServers, topics.events(), total, WAIT.multipliedBy(5));
    }

    @Override
    public void close() {
        reader.close();
    }
}
