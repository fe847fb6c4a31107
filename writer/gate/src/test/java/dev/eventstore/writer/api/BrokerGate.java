package dev.eventstore.writer.api;

import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.TopicProvisioner;
import dev.eventstore.writer.load.LoadVerdict;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The real thing on the embedded stack: topics of its own, a gate instance, an indexer and a client. */
final class BrokerGate implements GateUnderTest, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Partitions of each topic the broker gate provisions. */
    static final int PARTITIONS = 4;

    final LocalStack stack;
    final StoreTopics topics;
    final String indexSchema;
    final Gate gate;
    final Indexer indexer;
    final AppendClient client;

    private BrokerGate(LocalStack stack, StoreTopics topics, String indexSchema, Gate gate, Indexer indexer, AppendClient client) {
        this.stack = stack;
        this.topics = topics;
        this.indexSchema = indexSchema;
        this.gate = gate;
        this.indexer = indexer;
        this.client = client;
    }

    static BrokerGate start(Path stateDir) {
        LocalStack stack = LocalStack.shared();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StoreTopics topics = new StoreTopics("gate" + run);
        provision(stack, topics);
        Gate gate = Gate.start(gateConfig(stack, topics, stateDir), WAIT);
        String indexSchema = "gate_" + run;
        Indexer indexer = Indexer.start(IndexerConfig.of(stack.bootstrapServers(),
                new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), indexSchema),
                stack.schemaRegistryUrl()).withTopics(topics).withGroupId(topics.prefix() + "-indexer"));
        return new BrokerGate(stack, topics, indexSchema, gate, indexer, newClient(stack, topics));
    }

    static void provision(LocalStack stack, StoreTopics topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, PARTITIONS, (short) 1);
        }
    }

    /** An append as an outside client puts it on the request topic, raw: one event, a fresh request id. */
    static StreamAppend rawAppend(String streamId, ExpectedVersionKind expected) {
        EventData event = new EventData(UUID.randomUUID().toString(), "AccountOpened",
                ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}), Map.of());
        return StreamAppend.newBuilder().setRequestId(UUID.randomUUID().toString()).setStreamId(streamId)
                .setExpectedKind(expected).setEvents(List.of(event)).build();
    }

    static GateConfig gateConfig(LocalStack stack, StoreTopics topics, Path stateDir) {
        return GateConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics)
                .withApplicationId(topics.prefix() + "-gate").withStateDir(stateDir);
    }

    static AppendClient newClient(LocalStack stack, StoreTopics topics) {
        return AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics));
    }

    @Override
    public CompletableFuture<AppendResult> append(String streamId, ExpectedVersion expected, List<NewEvent> events,
                                                  AppendOptions options) {
        return client.append(streamId, expected, events, options);
    }

    /** Through the client's public methods, one per kind of change. */
    @Override
    public CompletableFuture<StreamChangeResult> change(String streamId, ExpectedVersion expected,
                                                        dev.eventstore.schemas.store.StreamChange change, AppendOptions options) {
        return switch (change.getKind()) {
            case DELETE -> client.deleteStream(streamId, expected, options);
            case TOMBSTONE -> client.tombstoneStream(streamId, expected, options);
            case TRUNCATE -> client.truncateStream(streamId, change.getTruncateBefore());
            case SET_METADATA -> client.setStreamMetadata(streamId, new StreamMetadata(
                    change.getMaxCount() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(change.getMaxCount()),
                    Optional.ofNullable(change.getMaxAgeMillis()).map(Duration::ofMillis)));
        };
    }

    @Override
    public List<String> typesInLog(String streamId, int expectedCount) {
        return readLog(stack, topics).getOrDefault(streamId, List.of()).stream()
                .map(record -> EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.TYPE)).toList();
    }

    @Override
    public List<Long> versionsInLog(String streamId, int expectedCount) {
        return versionsInLog(stack, topics, streamId);
    }

    static List<Long> versionsInLog(LocalStack stack, StoreTopics topics, String streamId) {
        return readLog(stack, topics).getOrDefault(streamId, List.of()).stream()
                .map(record -> Long.parseLong(EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.VERSION)))
                .toList();
    }

    /** Every event in the events topic, read_committed, up to the end of the log, by stream in log order. */
    static Map<String, List<ConsumerRecord<String, byte[]>>> readLog(LocalStack stack, StoreTopics topics) {
        return LoadVerdict.readLog(stack.bootstrapServers(), topics.events());
    }

    @Override
    public Optional<List<Long>> versionsInIndex(String streamId, int expectedCount) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection connection = stack.connectToDatabase()) {
            while (true) {
                List<Long> versions = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT version FROM " + indexSchema + ".events WHERE stream_id = ? ORDER BY global_position")) {
                    select.setString(1, streamId);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            versions.add(rows.getLong(1));
                        }
                    }
                }
                if (versions.size() >= expectedCount || System.nanoTime() > deadline) {
                    return Optional.of(versions);
                }
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            throw new AssertionError("reading the index failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        client.close();
        indexer.close();
        gate.close();
    }
}
