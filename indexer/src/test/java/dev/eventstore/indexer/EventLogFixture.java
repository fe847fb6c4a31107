package dev.eventstore.indexer;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events to a topic of its own as the gate does (transactions, envelope headers, registry wire
 * format), so the indexer is tested without the writer, and reads back what the index holds.
 */
final class EventLogFixture implements AutoCloseable {

    static final int PARTITIONS = 4;

    final LocalStack stack;
    final StoreTopics topics;
    final String indexSchema;
    private final String transactionalId;
    private KafkaProducer<String, byte[]> producer;
    private final EventCodec codec;
    private final Map<String, Long> versions = new HashMap<>();
    private int written;
    private String jdbcUrl;

    EventLogFixture(LocalStack stack) throws Exception {
        this.stack = stack;
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.topics = new StoreTopics("idx" + run);
        this.indexSchema = "idx_" + run;
        this.jdbcUrl = stack.jdbcUrl();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.events(), PARTITIONS, (short) 1),
                    new NewTopic(topics.deadLetters(), 1, (short) 1))).all().get();
        }
        this.transactionalId = "fixture-" + run;
        this.producer = newProducer();
        this.codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())), topics.events(), true);
    }

    /** Index into another PostgreSQL server (same user, no password). */
    void useDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** The indexer's settings as {@link IndexerMain} reads them. */
    java.util.Properties indexerProperties() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("kafka.bootstrap.servers", stack.bootstrapServers());
        props.setProperty("jdbc.url", jdbcUrl);
        props.setProperty("jdbc.user", stack.jdbcUser());
        props.setProperty("jdbc.password", stack.jdbcPassword());
        props.setProperty("schema.registry.url", stack.schemaRegistryUrl());
        props.setProperty("topic.prefix", topics.prefix());
        props.setProperty("index.schema", indexSchema);
        props.setProperty("group.id", topics.prefix() + "-indexer");
        return props;
    }

    IndexerConfig indexerConfig() {
        return IndexerConfig.of(stack.bootstrapServers(),
                new IndexDatabase(jdbcUrl, stack.jdbcUser(), stack.jdbcPassword(), indexSchema),
                stack.schemaRegistryUrl()).withTopics(topics).withGroupId(topics.prefix() + "-indexer");
    }

    /** Appends {@code count} events spread over {@code streams} streams, one transaction per batch of 100. */
    synchronized void append(int streams, int count) {
        for (int i = 0; i < count; i += 100) {
            int size = Math.min(100, count - i);
            Map<String, Long> batchVersions = new HashMap<>();
            List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                String stream = "Account-" + indexSchema + "-" + ((written + j) % streams);
                long version = batchVersions.merge(stream, versions.getOrDefault(stream, 0L) + 1, (last, first) -> last + 1);
                batch.add(event(stream, version));
            }
            commit(batch);
            versions.putAll(batchVersions);
            written += size;
        }
    }

    /** Appends one event to each of {@code streams} new streams, every one with the same event id (a client reusing it). */
    synchronized void appendReusingEventId(int streams, UUID eventId) {
        Map<String, Long> batchVersions = new HashMap<>();
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String stream = "Reused-" + indexSchema + "-" + i;
            long version = versions.getOrDefault(stream, 0L) + 1;
            batchVersions.put(stream, version);
            batch.add(event(stream, version, eventId));
        }
        commit(batch);
        versions.putAll(batchVersions);
        written += streams;
    }

    /**
     * Appends one event with this payload to a new stream, in a transaction of its own, with {@code extraHeaders}
     * (envelope headers such as {@link EnvelopeHeaders#CORRELATION_ID}, or metadata) besides the envelope.
     *
     * @return the stream
     */
    synchronized String appendOne(org.apache.avro.generic.GenericContainer data, Map<String, String> extraHeaders) {
        Map<String, byte[]> raw = new HashMap<>();
        extraHeaders.forEach((name, value) -> raw.put(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return appendOneWithRawHeaders(data, raw);
    }

    /** As {@link #appendOne}, with header values as raw bytes (any producer may write any bytes). */
    synchronized String appendOneWithRawHeaders(org.apache.avro.generic.GenericContainer data, Map<String, byte[]> extraHeaders) {
        String stream = "Odd-" + indexSchema + "-" + written;
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, stream);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, "1");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, UUID.randomUUID().toString());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, data.getSchema().getName());
        extraHeaders.forEach(headers::add);
        commit(List.of(new ProducerRecord<>(topics.events(), null, stream, codec.encode(data), headers)));
        versions.put(stream, 1L);
        written++;
        return stream;
    }

    /** A record that is not an event of the store: no envelope. */
    synchronized void appendUnplaceable(String key) {
        commit(List.of(new ProducerRecord<>(topics.events(), key, new byte[] {0, 0, 0, 0, 1})));
    }

    /** An event of a new stream, then a record without envelope on the same partition (same key), in one transaction. */
    synchronized void appendEventThenUnplaceable(String stream) {
        commit(List.of(event(stream, 1), new ProducerRecord<>(topics.events(), stream, new byte[] {0, 0, 0, 0, 1})));
        versions.put(stream, 1L);
        written += 1;
    }

    /**
     * Writes the records in one transaction. A transactional error that ends the producer (seen once under
     * CI load: {@code InvalidTxnStateException} from the broker mid-transaction) is met as Kafka Streams meets
     * it in the gate: a new producer with the same transactional id, which aborts the open transaction, and the
     * same records again. The log then holds the records once, committed.
     */
    private void commit(List<ProducerRecord<String, byte[]>> records) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.beginTransaction();
                records.forEach(producer::send);
                producer.commitTransaction();
                return;
            } catch (KafkaException e) {
                boolean invalidState = e instanceof InvalidTxnStateException || e.getCause() instanceof InvalidTxnStateException;
                if (!invalidState || attempt == 3) {
                    throw e;
                }
                producer.close(Duration.ZERO);
                producer = newProducer();
            }
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> fresh = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new ByteArraySerializer());
        fresh.initTransactions();
        return fresh;
    }

    private ProducerRecord<String, byte[]> event(String stream, long version) {
        return event(stream, version, UUID.randomUUID());
    }

    private ProducerRecord<String, byte[]> event(String stream, long version, UUID eventId) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, stream);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, Long.toString(version));
        EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, eventId.toString());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, "MoneyDeposited");
        headers.add("tenant", "acme".getBytes());
        return new ProducerRecord<>(topics.events(), null, stream, codec.encode(new MoneyDeposited(stream, version)), headers);
    }

    /** A payload read back from the index, decoded into the generated class it was written from. */
    MoneyDeposited decodePayload(byte[] framed) {
        return codec.decode(framed, MoneyDeposited.class);
    }

    synchronized int written() {
        return written;
    }

    synchronized Map<String, Long> versions() {
        return Map.copyOf(versions);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, stack.jdbcUser(), stack.jdbcPassword());
    }

    long indexedCount() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + indexSchema + ".events")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the indexer has not created its tables yet
            }
            throw e;
        }
    }

    void awaitIndexed(long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (indexedCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("indexed " + indexedCount() + " of " + count + " events in " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Per stream, the versions in the index in version order; every (stream, version) must appear once. */
    Map<String, List<Long>> indexedVersions() throws SQLException {
        Map<String, List<Long>> byStream = new HashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT stream_id, version FROM " + indexSchema + ".events ORDER BY stream_id, version")) {
            while (rows.next()) {
                byStream.computeIfAbsent(rows.getString(1), s -> new ArrayList<>()).add(rows.getLong(2));
            }
        }
        return byStream;
    }

    /** The index equals the log: every stream's versions 1..n once each, n as written. */
    void assertIndexEqualsLog() throws SQLException {
        Map<String, List<Long>> indexed = indexedVersions();
        Map<String, Long> expected = versions();
        if (!indexed.keySet().equals(expected.keySet())) {
            throw new AssertionError("streams in the index " + indexed.size() + " differ from those written " + expected.size());
        }
        for (var stream : expected.entrySet()) {
            List<Long> oneToN = java.util.stream.LongStream.rangeClosed(1, stream.getValue()).boxed().toList();
            if (!indexed.get(stream.getKey()).equals(oneToN)) {
                throw new AssertionError(stream.getKey() + " indexed as " + indexed.get(stream.getKey()) + ", written 1.." + stream.getValue());
            }
        }
    }

    /**
     * Every row holds its payload's JSON (the index's {@code data}, kept with {@code index.data.json}), the very text a
     * reader renders from the payload when the index keeps none.
     */
    void assertEveryRowHoldsItsPayloadsJson() throws SQLException {
        PayloadJson render = new PayloadJson(codec);
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT stream_id, version, payload, data::text FROM " + indexSchema + ".events")) {
            while (rows.next()) {
                String where = rows.getString(1) + " v" + rows.getLong(2);
                if (rows.getString(4) == null) {
                    throw new AssertionError(where + " has no JSON");
                }
                if (!render.render(rows.getBytes(3)).equals(java.util.Optional.of(rows.getString(4)))) {
                    throw new AssertionError(where + ": the index holds " + rows.getString(4) + ", rendered " + render.render(rows.getBytes(3)));
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
