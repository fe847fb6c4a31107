package dev.eventstore.writer.api;

import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
    private final Map<String, PendingAppend> pending = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** Assigns the partition and fixes the starting position at its end, before any request is sent. */
    ReplyListener(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, StoreRecordCodec<AppendResult> results) {
        this.consumer = consumer;
        this.results = results;
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition, Duration.ofSeconds(30));
    }

    void expect(PendingAppend append) {
        pending.put(append.requestId, append);
    }

    /** Forgets an append (timed out or failed to send) so that a late result is ignored. */
    PendingAppend forget(String requestId) {
        return pending.remove(requestId);
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
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    PendingAppend append = pending.remove(record.key());
                    if (append != null) {
                        completeFrom(record, append);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            log.error("Reply listener failed; failing the appends in flight", e);
            pending.values().forEach(p -> p.outcomeUnknown("the client's reply listener failed: " + e));
            pending.clear();
        } finally {
            consumer.close();
            stopped.countDown();
        }
    }

    private void completeFrom(ConsumerRecord<String, byte[]> record, PendingAppend append) {
        try {
            append.complete(results.decode(record.value()));
        } catch (MalformedPayloadException | SchemaRegistryException e) {
            append.outcomeUnknown("its result could not be read: " + e.getMessage());
        }
    }

    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await();
    }
}
