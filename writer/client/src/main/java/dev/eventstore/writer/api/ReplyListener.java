package dev.eventstore.writer.api;

import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the client's own partition of the results topic (read_committed: only results of committed
 * gate transactions) and completes the pending appends by request id. Results of other clients sharing
 * the partition are ignored.
 */
final class ReplyListener implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final StoreRecordCodec<AppendResult> results;
    private final Executor completions;
    private final Map<String, PendingAppend> pending = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * Listens with {@code consumer}, {@linkplain #positionAtEnd positioned} before any request is sent, and completes
     * the appends on {@code completions}.
     */
    ReplyListener(KafkaConsumer<String, byte[]> consumer, StoreRecordCodec<AppendResult> results, Executor completions) {
        this.consumer = consumer;
        this.results = results;
        this.completions = completions;
    }

    /** Assigns the partition and fixes the starting position at its end. */
    static void positionAtEnd(KafkaConsumer<String, byte[]> consumer, TopicPartition partition) {
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        // Within the consumer's default.api.timeout.ms.
        consumer.position(partition);
    }

    /**
     * Waits for the result of {@code append}, unless another append with its request id is in flight: one
     * request id names one append, and a result names only its request id, so a second would be answered
     * with the first's result (and the first never).
     *
     * @return false when another append with this request id is in flight; {@code append} is then not expected
     */
    boolean expect(PendingAppend append) {
        return pending.putIfAbsent(append.requestId, append) == null;
    }

    /**
     * Forgets an append (timed out, failed to send, client closed) so that a late result is ignored.
     * Only that append: a later one with the same request id, expected since, stays.
     *
     * @return whether it was still expected (then the caller completes its future)
     */
    boolean forget(PendingAppend append) {
        return pending.remove(append.requestId, append);
    }

    int inFlight() {
        return pending.size();
    }

    Iterable<PendingAppend> pendingAppends() {
        return pending.values();
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<Runnable> answered = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    PendingAppend append = pending.get(record.key());
                    if (append != null) {
                        completionOf(record, append).ifPresent(answered::add);
                    }
                }
                if (!answered.isEmpty()) {
                    completions.execute(() -> answered.forEach(Runnable::run));
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            log.error("Reply listener failed; failing the appends in flight", e);
            for (PendingAppend append : pending.values()) {
                if (forget(append)) {
                    append.outcomeUnknown("the client's reply listener failed: " + e, completions);
                }
            }
        } finally {
            consumer.close();
            stopped.countDown();
        }
    }

    /** What completes {@code append} from its result, once it is no longer expected; empty if it is not this one's. */
    private Optional<Runnable> completionOf(ConsumerRecord<String, byte[]> record, PendingAppend append) {
        AppendResult result;
        try {
            result = results.decode(record.value());
        } catch (MalformedPayloadException | SchemaRegistryException e) {
            if (forget(append)) {
                append.outcomeUnknown("its result could not be read: " + e.getMessage(), completions);
            }
            return Optional.empty();
        }
        // A result for another stream answers an earlier attempt with this request id that timed out here:
        // the gate refuses the id for this append and answers it with a result of its own.
        if (result.getStreamId().equals(append.streamId) && forget(append)) {
            return Optional.of(() -> append.complete(result));
        }
        return Optional.empty();
    }

    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await();
    }
}
