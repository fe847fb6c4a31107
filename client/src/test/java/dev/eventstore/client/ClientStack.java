package dev.eventstore.client;

import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The store on the embedded stack (shared by the test JVM) with topics and an index schema of its own: a
 * gate and an indexer, and the settings an application would be given for it (the keys of the roles' file).
 */
final class ClientStack implements AutoCloseable {

    final EventStoreSettings settings;
    final IndexerConfig indexerConfig;
    private final Gate gate;
    private final Indexer indexer;
    private final Path stateDir;

    private ClientStack(EventStoreSettings settings, IndexerConfig indexerConfig, Gate gate, Indexer indexer, Path stateDir) {
        this.settings = settings;
        this.indexerConfig = indexerConfig;
        this.gate = gate;
        this.indexer = indexer;
        this.stateDir = stateDir;
    }

    static ClientStack start() throws Exception {
        return start(OpenTelemetry.noop(), Metrics.globalRegistry);
    }

    /** A stack whose gate and indexer trace with {@code openTelemetry} and count to {@code meters}. */
    static ClientStack start(OpenTelemetry openTelemetry, MeterRegistry meters) throws Exception {
        LocalStack stack = LocalStack.shared();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StoreTopics topics = new StoreTopics("cl" + run);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, 4, (short) 1);
        }
        Path stateDir = Files.createTempDirectory("client-gate");
        Gate gate = Gate.start(GateConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics)
                .withApplicationId(topics.prefix() + "-gate").withStateDir(stateDir), Duration.ofSeconds(60),
                meters, openTelemetry);
        String indexSchema = "cl_" + run;
        IndexerConfig indexerConfig = IndexerConfig.of(stack.bootstrapServers(),
                        new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), indexSchema),
                        stack.schemaRegistryUrl()).withTopics(topics).withGroupId(topics.prefix() + "-indexer");
        Indexer indexer = Indexer.start(indexerConfig, meters, openTelemetry);
        return new ClientStack(EventStoreSettings.of(Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "jdbc.url", stack.jdbcUrl(),
                "jdbc.user", stack.jdbcUser(),
                "jdbc.password", stack.jdbcPassword(),
                "index.schema", indexSchema,
                "topic.prefix", topics.prefix())), indexerConfig, gate, indexer, stateDir);
    }

    @Override
    public void close() {
        indexer.close();
        gate.close();
        try {
            Utils.delete(stateDir.toFile()); // the gate's RocksDB stores: a test run left them in the temp directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
