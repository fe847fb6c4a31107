package dev.eventstore.reader;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.local.LocalStack;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The store on the embedded stack with topics and an index schema of its own: a gate, an indexer, an
 * append client, a reader. {@link #produce} writes events straight to the events topic, as the gate
 * would, for the large backlogs subscription tests need.
 */
public final class ReaderStack implements AutoCloseable {

    public static final int PARTITIONS = 4;
    public static final Duration WAIT = Duration.ofSeconds(60);

    public final LocalStack stack;
    public final StoreTopics topics;
    public final IndexDatabase database;
    public final SchemaRegistryClient registry;
    public final AppendClient client;
    public final EventReader reader;
    private final Gate gate;
    private final Indexer indexer;
    private final Path stateDir;
    private KafkaProducer<String, byte[]> producer;
    private final Map<String, Long> produced = new java.util.HashMap<>();

    public ReaderStack() throws Exception {
        this.stack = LocalStack.shared();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.topics = new StoreTopics("rd" + run);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, PARTITIONS, (short) 1);
        }
        this.stateDir = Files.createTempDirectory("reader-gate");
        this.gate = Gate.start(GateConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics)
                .withApplicationId(topics.prefix() + "-gate").withStateDir(stateDir), WAIT);
        this.database = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), "rd_" + run);
        this.indexer = Indexer.start(IndexerConfig.of(stack.bootstrapServers(),
                new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), database.schema()),
                stack.schemaRegistryUrl()).withTopics(topics).withGroupId(topics.prefix() + "-indexer"));
        this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
        this.client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics));
        this.reader = new EventReader(database, payloadJson());
    }

    /** Renders payloads' JSON with the registry, for readers of this index (the indexer keeps none: the default). */
    public PayloadJson payloadJson() {
        return new PayloadJson(new EventCodec(registry, topics.events(), false));
    }

    public EventCodec codec() {
        return new EventCodec(registry, topics.events(), true);
    }

    /**
     * Writes {@code count} MoneyDeposited events over {@code streams} streams of a category straight to
     * the events topic (one transaction per 1,000), with a payload padded to about {@code payloadBytes}.
     * Versions carry on from the previous calls for the same streams.
     */
    public synchronized void produce(String category, int streams, int count, int payloadBytes) {
        KafkaProducer<String, byte[]> out = producer();
        EventCodec codec = codec();
        String padding = "x".repeat(Math.max(0, payloadBytes - 40));
        for (int i = 0; i < count; i += 1000) {
            out.beginTransaction();
            for (int j = i; j < Math.min(count, i + 1000); j++) {
                int s = j % streams;
                String stream = category + "-" + s;
                long version = produced.merge(stream, 1L, Long::sum);
                out.send(record(stream, version, "MoneyDeposited", codec.encode(new MoneyDeposited(stream + padding, version))));
            }
            out.commitTransaction();
        }
    }

    /** A record with the given envelope and payload, committed on the events topic. */
    public synchronized void produceRaw(String stream, long version, String type, byte[] payload) {
        produceRaw(stream, version, type, payload, Map.of());
    }

    /** As {@link #produceRaw(String, long, String, byte[])}, with more headers (as another producer might write). */
    public synchronized void produceRaw(String stream, long version, String type, byte[] payload, Map<String, String> headers) {
        KafkaProducer<String, byte[]> out = producer();
        out.beginTransaction();
        ProducerRecord<String, byte[]> record = record(stream, version, type, payload);
        headers.forEach((name, value) -> EnvelopeHeaders.put(record.headers(), name, value));
        out.send(record);
        out.commitTransaction();
    }

    /** A record without the store's envelope: not an event. */
    /** A record no store wrote: a key of any bytes (not UTF-8, say), a value and no envelope headers. */
    public void produceWithoutEnvelope(byte[] key) throws Exception {
        try (KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            out.send(new ProducerRecord<>(topics.events(), key, new byte[] {1, 2, 3})).get();
        }
    }

    private ProducerRecord<String, byte[]> record(String stream, long version, String type, byte[] payload) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, stream);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, Long.toString(version));
        EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, UUID.randomUUID().toString());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, type);
        return new ProducerRecord<>(topics.events(), null, stream, payload, headers);
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "-fixture",
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                    new StringSerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }
        return producer;
    }

    /** Every record of a topic, read_committed, up to its end. */
    public List<ConsumerRecord<String, byte[]>> readTopic(String topic) {
        return readTopic(topic, new StringDeserializer());
    }

    public <K> List<ConsumerRecord<K, byte[]>> readTopic(String topic, Deserializer<K> keys) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(props, keys, new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " was not read to its end in time");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() throws Exception {
        if (producer != null) {
            producer.close();
        }
        reader.close();
        client.close();
        indexer.close();
        gate.close();
        Utils.delete(stateDir.toFile()); // the gate's RocksDB stores: a test run left them in the temp directory
    }

    /** Connections PostgreSQL has accepted into this database so far (to tell pooled access from a connection per call). */
    public long sessionsOpened() throws SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
