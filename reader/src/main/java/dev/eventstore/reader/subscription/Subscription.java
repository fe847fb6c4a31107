package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.DeadLetters;
import dev.eventstore.schemas.EventsConsumers;
import dev.eventstore.schemas.MeterGroup;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running subscription member: a consumer of the events topic in a group, which hands each committed
 * event to the handler in order per partition (hence per stream; there is no order across partitions).
 *
 * <ul>
 *   <li>At least once: offsets are committed only up to events the handler returned from (or the filter
 *       skipped, or that were parked); after a crash the group resumes at the last commit, so an event
 *       may be handled twice, never skipped.</li>
 *   <li>Backpressure: the handler runs on a thread of its own; when it trails by
 *       {@code maxBufferedEvents}, fetching pauses until it has caught up half of them, so memory stays
 *       bounded whatever the backlog.</li>
 *   <li>Failures: a failing event is retried per the {@link RetryPolicy}, then parked on the dead-letter
 *       topic with the reason, and the subscription goes on; an undecodable one is parked at once.</li>
 *   <li>{@link #close()} lets the handler finish the event in hand and commits what was handled.</li>
 * </ul>
 */
public final class Subscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    /**
     * How long closing the consumer may wait, once the last commit is done and the leave request sent (on the
     * coordinator's connection of its own): otherwise it waits on the fetch connection for the broker to answer
     * the fetch in flight, up to {@code fetch.max.wait.ms} (500 ms), only to end a fetch session the broker
     * expires by itself.
     */
    private static final Duration CONSUMER_CLOSE = Duration.ofMillis(100);

    private final SubscriptionConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final HandlerWorker worker;
    private final Thread workerThread;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    /** Whether {@link #caughtUp} was handed its outcome; the poller's alone. */
    private boolean caughtUpSettled;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Per owned partition, where handling started after the assignment (or the last fence). */
    private final Map<TopicPartition, Long> startOffsets = new HashMap<>();
    /** Per owned partition, the offset after the last event handed to the worker. */
    private final Map<TopicPartition, Long> polledUpTo = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile SubscriptionLag lag = new SubscriptionLag(Map.of());
    private MeterGroup meters;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private boolean paused;
    private boolean assignedOnce;
    private long lastCommitNanos;

    private Subscription(SubscriptionConfig config, EventHandler handler, OpenTelemetry openTelemetry) {
        this.config = config;
        // Keys stay bytes: the envelope carries the stream id, and parking copies the key as it is; decoding
        // each key into a String cost a catch-up time for nothing.
        this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new DeadLetters(config.bootstrapServers(), config.deadLetterTopic(), config.kafkaProperties());
        this.worker = new HandlerWorker(config.groupId(), config.filter(), config.retryPolicy(), handler, deadLetters,
                new HandlerTracing(openTelemetry, config.groupId()));
        this.workerThread = new Thread(worker, "subscription-" + config.groupId() + "-handler");
    }

    /** Joins the group and starts handling events on threads of its own. */
    public static Subscription start(SubscriptionConfig config, EventHandler handler) {
        return start(config, handler, Metrics.globalRegistry);
    }

    /**
     * As {@link #start(SubscriptionConfig, EventHandler)}, publishing to {@code meters}, tagged with the group:
     * {@code eventstore.subscription.lag.events} and {@code eventstore.subscription.buffered.events}.
     */
    public static Subscription start(SubscriptionConfig config, EventHandler handler, MeterRegistry meters) {
        return start(config, handler, meters, GlobalOpenTelemetry.getOrNoop());
    }

    /**
     * As {@link #start(SubscriptionConfig, EventHandler, MeterRegistry)}, each handler call in a span of
     * {@code openTelemetry}, a child of the event's trace context (README, "Tracing"); the other factories use
     * {@link GlobalOpenTelemetry}, as set when it is created (a no-op unless an SDK or the Java agent set it before).
     */
    public static Subscription start(SubscriptionConfig config, EventHandler handler, MeterRegistry meters,
                                     OpenTelemetry openTelemetry) {
        Subscription subscription = new Subscription(config, handler, openTelemetry);
        subscription.meters = new MeterGroup(meters, Tags.of("group", config.groupId()))
                .gauge("eventstore.subscription.lag.events", "events in the log this member has not handled yet", subscription,
                        s -> s.lag().totalEvents())
                .gauge("eventstore.subscription.buffered.events", "events fetched and waiting for the handler", subscription,
                        Subscription::bufferedEvents);
        subscription.workerThread.setDaemon(true);
        subscription.workerThread.start();
        startDaemon(subscription::run, "subscription-" + config.groupId());
        return subscription;
    }

    /**
     * Completes once this member has handled every event that was in the log for the partitions it owns
     * (at its first such moment); it then goes on live. Fails if the subscription stops first.
     */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** This member's lag, as of its last poll. */
    public SubscriptionLag lag() {
        return lag;
    }

    /** Events fetched and not handled yet: at most {@code maxBufferedEvents} plus one poll's worth. */
    public int bufferedEvents() {
        return worker.buffered();
    }

    /** Whether the member still runs: false after {@link #close()} or an unrecoverable failure. */
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /** What stopped the member, when it was not {@link #close()}. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(config.topics().events()), new Rebalance());
            while (running) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                    // close() woke a poll (or a lookup) up: the loop ends here.
                }
            }
            stopWorker();
            commit(true);
        } catch (RuntimeException e) {
            failure = e;
            log.error("Subscription {} stopped by an unexpected failure", config.groupId(), e);
            stopWorker();
        } finally {
            settleCaughtUp(future -> future.completeExceptionally(new IllegalStateException("subscription " + config.groupId() + " stopped")));
            consumer.close(CloseOptions.timeout(CONSUMER_CLOSE));
            deadLetters.close();
            stopped.countDown();
        }
    }

    private void pollOnce() {
        if (worker.failure() != null) {
            throw new IllegalStateException("the handler thread failed", worker.failure());
        }
        applyBackpressure();
        // Paused, a poll only keeps the membership going (a rebalance, a commit's answer): it must not
        // sleep. The wait for the handler follows instead, and ends as soon as it has caught up.
        ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? Duration.ZERO : POLL);
        if (!records.isEmpty()) {
            handOver(records);
        }
        if (System.nanoTime() - lastCommitNanos > COMMIT_INTERVAL.toNanos()) {
            commit(false);
        }
        measureLag();
        if (paused) {
            awaitHandler();
        }
    }

    /** One batch per partition: the poll's own list of it, handed over without a copy. */
    private void handOver(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            polledUpTo.put(partition, ofPartition.get(ofPartition.size() - 1).offset() + 1);
            worker.offer(partition, ofPartition);
        }
    }

    private void applyBackpressure() {
        int buffered = worker.buffered();
        if (buffered >= config.maxBufferedEvents() || (paused && buffered > config.maxBufferedEvents() / 2)) {
            // Every time, so partitions assigned while paused are paused too.
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void awaitHandler() {
        try {
            worker.awaitBufferedAtMost(config.maxBufferedEvents() / 2, POLL);
        } catch (InterruptedException e) {
            // Nobody interrupts the poller but a JVM going down: stop as close() would.
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Where the group should resume a partition: after the last handled event, or, once every event
     * handed over is handled, the consumer's position (which also steps over transaction markers).
     */
    private long progress(TopicPartition partition) {
        Long polled = polledUpTo.get(partition);
        Long handled = worker.handled(partition);
        if (polled == null || (handled != null && handled >= polled)) {
            return consumer.position(partition);
        }
        return handled != null ? handled : startOffsets.get(partition);
    }

    private void commit(boolean sync) {
        try {
            commitOnce(sync);
        } catch (WakeupException e) {
            // close() woke the consumer while it was not polling: the exception spent the wakeup, the commit is
            // still owed (the last one, or a revoked partition's).
            commitOnce(sync);
        }
    }

    private void commitOnce(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            long next = progress(partition);
            if (!Long.valueOf(next).equals(committed.get(partition))) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        }
        lastCommitNanos = System.nanoTime();
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    log.warn("Subscription {}: commit failed, will retry: {}", config.groupId(), e.toString());
                    committed.keySet().removeAll(offsets.keySet());
                }
            });
        }
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    private void measureLag() {
        Map<TopicPartition, Long> events = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong toEnd = consumer.currentLag(partition);
            if (toEnd.isPresent()) {
                events.put(partition, consumer.position(partition) + toEnd.getAsLong() - progress(partition));
            }
        }
        lag = new SubscriptionLag(events);
        boolean allKnown = events.size() == consumer.assignment().size();
        if (assignedOnce && allKnown && lag.totalEvents() == 0) {
            settleCaughtUp(future -> future.complete(null));
        }
    }

    /**
     * Completes {@link #caughtUp} once, on a thread of its own: the caller's callbacks on it run there, and one that
     * blocks (to serve requests once live, say) would otherwise stop this member's polls, or its close.
     */
    private void settleCaughtUp(Consumer<CompletableFuture<Void>> settle) {
        if (caughtUpSettled) {
            return;
        }
        caughtUpSettled = true;
        startDaemon(() -> settle.accept(caughtUp), "subscription-" + config.groupId() + "-caught-up");
    }

    private static void startDaemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void stopWorker() {
        worker.stop();
        try {
            workerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the event in hand; what was handled is committed. */
    @Override
    public void close() {
        running = false;
        if (isRunning()) {
            // A poll in progress returns at once instead of waiting out its timeout.
            consumer.wakeup();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        meters.remove();
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            // No event of a revoked partition may be handled from here on: its next owner starts at our commit.
            worker.fence();
            commit(true);
            rewindKept(revoked);
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another member may already own them: nothing to commit, only stop handling.
            worker.fence();
            rewindKept(lost);
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (config.startFrom() instanceof StartFrom.Timestamp timestamp) {
                seekToTimestamp(assigned, timestamp.instant().toEpochMilli());
            }
            for (TopicPartition partition : assigned) {
                startOffsets.put(partition, consumer.position(partition));
            }
            assignedOnce = true;
        }

        /** The fence dropped buffered events of partitions still owned too: read them again. */
        private void rewindKept(Collection<TopicPartition> gone) {
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(gone);
            for (TopicPartition partition : kept) {
                long next = progress(partition);
                consumer.seek(partition, next);
                startOffsets.put(partition, next);
                polledUpTo.remove(partition);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            worker.forget(partitions);
            startOffsets.keySet().removeAll(partitions);
            polledUpTo.keySet().removeAll(partitions);
            committed.keySet().removeAll(partitions);
        }

        private void seekToTimestamp(Collection<TopicPartition> assigned, long epochMillis) {
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = consumer.committed(new HashSet<>(assigned));
            Map<TopicPartition, Long> fresh = new HashMap<>();
            for (TopicPartition partition : assigned) {
                if (groupOffsets.get(partition) == null) {
                    fresh.put(partition, epochMillis);
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(fresh);
            List<TopicPartition> none = new ArrayList<>();
            for (TopicPartition partition : fresh.keySet()) {
                OffsetAndTimestamp at = found.get(partition);
                if (at == null) {
                    none.add(partition);
                } else {
                    consumer.seek(partition, at.offset());
                }
            }
            consumer.seekToEnd(none);
        }
    }

    private static Map<String, Object> consumerProperties(SubscriptionConfig config) {
        Map<String, Object> defaults = new HashMap<>();
        // One poll's worth at most beyond the buffer bound.
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.maxBufferedEvents()));
        defaults.putAll(config.kafkaProperties());
        return EventsConsumers.properties(config.bootstrapServers(), config.groupId(),
                config.startFrom() instanceof StartFrom.End ? "latest" : "earliest", defaults);
    }
}
