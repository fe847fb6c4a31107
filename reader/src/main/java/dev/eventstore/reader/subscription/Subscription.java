package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.EventsConsumers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running subscription member: reads committed events of the log (per partition, in order; no total
 * order across partitions) and hands each to the handler. At least once: an event's offset is committed
 * only after the handler returned; a handler that throws gets the same event again after a pause, so
 * nothing is skipped.
 */
public final class Subscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final SubscriptionConfig config;
    private final EventHandler handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private Subscription(SubscriptionConfig config, EventHandler handler) {
        this.config = config;
        this.handler = handler;
        this.consumer = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
    }

    public static Subscription start(SubscriptionConfig config, EventHandler handler) {
        Subscription subscription = new Subscription(config, handler);
        Thread thread = new Thread(subscription::run, "subscription-" + config.groupId());
        thread.setDaemon(true);
        thread.start();
        return subscription;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(config.topics().events()));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    handlePartition(records.records(partition), partition, handled);
                }
                if (!handled.isEmpty()) {
                    consumer.commitSync(handled);
                }
            }
        } catch (RuntimeException e) {
            log.error("Subscription {} stopped by an unexpected failure", config.groupId(), e);
        } finally {
            consumer.close();
            stopped.countDown();
        }
    }

    private void handlePartition(List<ConsumerRecord<String, byte[]>> records, TopicPartition partition,
                                 Map<TopicPartition, OffsetAndMetadata> handled) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!running) {
                return;
            }
            try {
                handler.handle(LoggedEvents.toEvent(record));
                handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
            } catch (Exception e) {
                log.warn("Subscription {}: handler failed on {}-{}@{}, retrying in {} ms: {}", config.groupId(),
                        record.topic(), record.partition(), record.offset(), RETRY_PAUSE.toMillis(), e.toString());
                // Deliver this event again: the rest of this partition's batch waits behind it.
                consumer.seek(partition, record.offset());
                sleep(RETRY_PAUSE);
                return;
            }
        }
    }

    /** Stops after the event in hand; what was handled is committed. */
    @Override
    public void close() {
        // No wakeup(): the loop notices within one poll and commits what was handled before leaving.
        running = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> consumerProperties(SubscriptionConfig config) {
        return EventsConsumers.properties(config.bootstrapServers(), config.groupId(),
                config.startFrom() == StartFrom.BEGINNING ? "earliest" : "latest", config.kafkaProperties());
    }
}
