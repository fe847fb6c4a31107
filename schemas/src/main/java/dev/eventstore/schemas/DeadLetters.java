package dev.eventstore.schemas;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks records that cannot be processed on a dead-letter topic, with the original key, value and
 * headers, byte for byte (a key that is not UTF-8 stays as it was), plus the reason and the source position in headers. Sent synchronously: the caller moves
 * past a record only once it is parked, so nothing is dropped silently.
 */
public final class DeadLetters implements AutoCloseable {

    /** Why the record was parked. */
    public static final String REASON = "es.dead-letter.reason";
    /** Where it came from: {@code <topic>-<partition>@<offset>}. */
    public static final String SOURCE = "es.dead-letter.source";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<String, Object> producerProperties;
    private final String topic;
    /**
     * Made on the first park: most readers never park anything, and a producer costs a thread, a connection and,
     * in a subscription's start, some 20-50 ms before its first event.
     */
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    /** @throws org.apache.kafka.common.config.ConfigException when {@code kafkaProperties} hold a producer setting that cannot work */
    public DeadLetters(String bootstrapServers, String topic, Map<String, Object> kafkaProperties) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(kafkaProperties);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Checked now, as the producer would: a setting that cannot work fails the reader's start, not its first park.
        ProducerConfig.configDef().parse(props);
        this.producerProperties = Map.copyOf(props);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** Parks the record; returns once the broker has it. */
    public void send(ConsumerRecord<byte[], byte[]> record, String reason) {
        send(record, reason, Map.of());
    }

    /**
     * @param extraHeaders added after the original headers, the reason and the source
     * @throws KafkaException when the record could not be parked (the caller must not move past it)
     */
    public void send(ConsumerRecord<byte[], byte[]> record, String reason, Map<String, String> extraHeaders) {
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        log.warn("Record {} parked on {}: {}", source, topic, reason);
        ProducerRecord<byte[], byte[]> parked = new ProducerRecord<>(topic, record.key(), record.value());
        for (Header header : record.headers()) {
            parked.headers().add(header);
        }
        parked.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        parked.headers().add(SOURCE, source.getBytes(StandardCharsets.UTF_8));
        extraHeaders.forEach((name, value) -> parked.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer().send(parked).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while parking " + source, e);
        } catch (ExecutionException e) {
            throw new KafkaException("could not park " + source + " on " + topic, e.getCause());
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (closed) {
            throw new KafkaException("the dead-letter producer for " + topic + " is closed");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close();
        }
    }
}
