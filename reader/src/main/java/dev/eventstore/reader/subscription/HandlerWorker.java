package dev.eventstore.reader.subscription;

import dev.eventstore.reader.MalformedEnvelopeException;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.DeadLetters;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs the handler, apart from the thread that polls, so a slow handler never stalls
 * the consumer's group membership. Records arrive in batches of one partition each, in poll order (in
 * order per partition), and are handled one at a time; the poller reads {@link #buffered()} to pause
 * fetching and {@link #handled(TopicPartition)} to commit. A batch is one hand-off (one queue operation and one wake-up
 * for hundreds of records), yet progress moves record by record: a commit never covers a record of a
 * batch the handler has not finished.
 *
 * <p>{@link #fence()} is the rebalance barrier: it waits for the attempt in hand, then discards the
 * buffer, so no event of a partition this member gave up is handled after it (another member will have
 * it, in order).
 */
final class HandlerWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(HandlerWorker.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(100);

    private record Batch(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records, int generation) {}

    /** Put in the inbox by {@link #stop()}: an idle handler thread wakes at once rather than at its next look. */
    private static final Batch WAKE_UP = new Batch(null, List.of(), -1);

    /**
     * The offset after the last record of a partition handled (or skipped, or parked). One per partition,
     * looked up once per batch rather than once per record; written by the handler thread only.
     */
    static final class Progress {
        private volatile long next;

        long next() {
            return next;
        }
    }

    private enum Outcome { DONE, RETRY }

    private final String groupId;
    private final EventFilter filter;
    private final RetryPolicy retryPolicy;
    private final EventHandler handler;
    private final DeadLetters deadLetters;
    private final HandlerTracing tracing;
    private final BlockingQueue<Batch> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Map<TopicPartition, Progress> handled = new ConcurrentHashMap<>();
    /** A filter that places no condition need not read the envelope twice. */
    private final boolean filterAll;
    /** Held for one handling attempt; {@link #fence()} takes it to wait for the attempt in hand. */
    private final Object attemptLock = new Object();
    private final Object backoff = new Object();
    /** The poller waits on it while fetching is paused; the handler thread wakes it at the poller's mark. */
    private final Object drained = new Object();
    /** While the poller waits: how few buffered events should wake it; otherwise -1. */
    private volatile int wakeAt = -1;
    private volatile int generation;
    private volatile boolean stopping;
    private volatile Throwable failure;

    HandlerWorker(String groupId, EventFilter filter, RetryPolicy retryPolicy, EventHandler handler, DeadLetters deadLetters,
                  HandlerTracing tracing) {
        this.groupId = groupId;
        this.tracing = tracing;
        this.filter = filter;
        this.filterAll = filter.isAll();
        this.retryPolicy = retryPolicy;
        this.handler = handler;
        this.deadLetters = deadLetters;
    }

    /**
     * Hands over a poll's records of one partition, in offset order. Called by the polling thread only,
     * as is {@link #fence()}: the two never race.
     */
    void offer(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        buffered.addAndGet(records.size());
        inbox.add(new Batch(partition, records, generation));
    }

    /** Events received and not handled yet. */
    int buffered() {
        return buffered.get();
    }

    /** Per partition, the offset after the last event handled (or skipped, or parked); null when none was. */
    Long handled(TopicPartition partition) {
        Progress progress = handled.get(partition);
        return progress == null ? null : progress.next();
    }

    /**
     * Waits until at most {@code events} are buffered, or {@code timeout} passed, or the worker stops. For
     * the poller while every partition is paused: a poll would sleep its whole timeout, however soon the
     * handler works the buffer down, and leave the handler idle meanwhile.
     */
    void awaitBufferedAtMost(int events, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            wakeAt = events;
            try {
                long left;
                while (buffered.get() > events && !stopping && failure == null && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                }
            } finally {
                wakeAt = -1;
            }
        }
    }

    void forget(Collection<TopicPartition> partitions) {
        handled.keySet().removeAll(partitions);
    }

    /** Waits for the attempt in hand, then drops every buffered event: none of them will be handled. */
    void fence() {
        synchronized (attemptLock) {
            generation++;
            inbox.clear();
            buffered.set(0);
        }
        wakeBackoff();
    }

    /** Stops after the attempt in hand. */
    void stop() {
        stopping = true;
        inbox.add(WAKE_UP);
        wakeBackoff();
    }

    /** What stopped the worker, if it was not {@link #stop()}. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                Batch batch = inbox.poll(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (batch == null) {
                    continue;
                }
                handle(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("Subscription {} stopped: its handler thread failed", groupId, e);
            wakePoller();
        }
    }

    private void handle(Batch batch) {
        Progress progress = null;
        for (ConsumerRecord<byte[], byte[]> record : batch.records()) {
            if (progress == null) {
                progress = progress(batch);
                if (progress == null) {
                    return;
                }
            }
            if (!handle(record, batch.generation(), progress)) {
                return;
            }
        }
    }

    /**
     * The partition's progress, looked up under the attempt lock: a batch a fence has dropped must not put
     * back the entry of a partition the member gave up ({@link #forget}), or a later owner's commit could
     * read it. Null when the batch is dropped.
     */
    private Progress progress(Batch batch) {
        synchronized (attemptLock) {
            if (stopping || batch.generation() != generation) {
                return null;
            }
            return handled.computeIfAbsent(batch.partition(), partition -> new Progress());
        }
    }

    /** @return false when the record was not handled because of a fence or a stop */
    private boolean handle(ConsumerRecord<byte[], byte[]> record, int recordGeneration, Progress progress) {
        for (int attempt = 1; ; attempt++) {
            synchronized (attemptLock) {
                if (stopping || recordGeneration != generation) {
                    return false;
                }
                if (attempt(record, attempt) == Outcome.DONE) {
                    progress.next = record.offset() + 1;
                    if (buffered.decrementAndGet() <= wakeAt) {
                        wakePoller();
                    }
                    return true;
                }
            }
            if (!pause(retryPolicy.backoffAfter(attempt), recordGeneration)) {
                return false;
            }
        }
    }

    private Outcome attempt(ConsumerRecord<byte[], byte[]> record, int attempt) {
        if (!filterAll && !filter.matches(record.headers())) {
            return Outcome.DONE;
        }
        // The envelope is read when the handler (or the tracing) first asks for it; a record without one is
        // no event of the store, and is parked as soon as that shows.
        RecordedEvent event = RecordedEvent.fromLog(record);
        Span span;
        try {
            span = tracing.start(event, attempt);
        } catch (MalformedEnvelopeException e) {
            return park(record, "unreadable envelope: " + e.getMessage(), attempt, e);
        }
        // Null when there is nothing to record or pass on: the handler then runs with no span (a resource of
        // null is skipped by try-with-resources).
        try (Scope ignored = span == null ? null : span.makeCurrent()) {
            handler.handle(event);
            return Outcome.DONE;
        } catch (MalformedEnvelopeException e) {
            HandlerTracing.failed(span, "unreadable envelope", e);
            return park(record, "unreadable envelope: " + e.getMessage(), attempt, e);
        } catch (MalformedPayloadException e) {
            HandlerTracing.failed(span, "poison payload", e);
            return park(record, "poison payload: " + e.getMessage(), attempt, e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            HandlerTracing.failed(span, "handler failed", e);
            if (attempt >= retryPolicy.maxAttempts()) {
                return park(record, "handler failed " + attempt + " times, last: " + e, attempt, e);
            }
            log.warn("Subscription {}: handler failed on {}-{}@{} (attempt {} of {}), retrying in {} ms: {}", groupId,
                    record.topic(), record.partition(), record.offset(), attempt, retryPolicy.maxAttempts(),
                    retryPolicy.backoffAfter(attempt).toMillis(), e.toString());
            return Outcome.RETRY;
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    private Outcome park(ConsumerRecord<byte[], byte[]> record, String reason, int attempt, Throwable cause) {
        try {
            deadLetters.send(record, reason, Map.of(DeadLetterHeaders.GROUP, groupId,
                    DeadLetterHeaders.ATTEMPTS, Integer.toString(attempt),
                    DeadLetterHeaders.EXCEPTION, cause.getClass().getName()));
            return Outcome.DONE;
        } catch (KafkaException e) {
            // Not parked, so not past it: the event stays in hand and is tried again after the backoff.
            log.warn("Subscription {}: could not park {}-{}@{}: {}", groupId, record.topic(), record.partition(),
                    record.offset(), e.toString());
            return Outcome.RETRY;
        }
    }

    /** @return false when woken by a fence or a stop, which abandons the record in hand */
    private boolean pause(Duration duration, int recordGeneration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (backoff) {
            while (!stopping && recordGeneration == generation) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return true;
                }
                try {
                    backoff.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private void wakePoller() {
        synchronized (drained) {
            drained.notifyAll();
        }
    }

    private void wakeBackoff() {
        synchronized (backoff) {
            backoff.notifyAll();
        }
    }
}
