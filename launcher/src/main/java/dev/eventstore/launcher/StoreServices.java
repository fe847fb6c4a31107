package dev.eventstore.launcher;

import dev.eventstore.bench.StoreStarter;
import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.Replication;
import dev.eventstore.writer.gate.TopicProvisioner;
import dev.eventstore.writer.gate.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The store's own processes on given servers: the topics, a gate instance and an indexer instance. */
public final class StoreServices implements StoreStarter.RunningStore {

    public static final int PARTITIONS = 4;

    private final Gate gate;
    private final Indexer indexer;

    private StoreServices(Gate gate, Indexer indexer) {
        this.gate = gate;
        this.indexer = indexer;
    }

    /**
     * @param gateStateDir where the gate's RocksDB state lives
     * @param indexSchema the PostgreSQL schema of the index
     */
    public static StoreServices start(String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword,
                                      String schemaRegistryUrl, StoreTopics topics, Path gateStateDir, String indexSchema) {
        return start(bootstrapServers, jdbcUrl, jdbcUser, jdbcPassword, schemaRegistryUrl, topics, gateStateDir, indexSchema, false);
    }

    /** As above, the index keeping each payload's JSON in its {@code data} column when {@code dataJson} is true. */
    public static StoreServices start(String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword,
                                      String schemaRegistryUrl, StoreTopics topics, Path gateStateDir, String indexSchema,
                                      boolean dataJson) {
        Replication replication;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // Replication as the cluster's size calls for: 1 on the single broker, 3 (min ISR 2) on --brokers 3.
            replication = new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, TopicSettings.of(PARTITIONS));
        }
        Gate gate = Gate.start(GateCommand.withInternalReplication(GateConfig.defaults(bootstrapServers, schemaRegistryUrl)
                .withTopics(topics).withApplicationId(GateConfig.defaultApplicationId(topics)).withStateDir(gateStateDir),
                replication), Duration.ofSeconds(60));
        try {
            Indexer indexer = Indexer.start(IndexerConfig.of(bootstrapServers,
                    new IndexDatabase(jdbcUrl, jdbcUser, jdbcPassword, indexSchema), schemaRegistryUrl)
                    .withTopics(topics).withGroupId(IndexerConfig.defaultGroupId(topics)).withDataJson(dataJson));
            return new StoreServices(gate, indexer);
        } catch (RuntimeException e) {
            gate.close();
            throw e;
        }
    }

    /** The store's processes on the embedded stack, as {@code ./eventstore bench} starts them. */
    static StoreServices onStack(LocalStack stack, StoreTopics topics, Path gateStateDir, String indexSchema) {
        return start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), stack.schemaRegistryUrl(),
                topics, gateStateDir, indexSchema);
    }

    public Indexer indexer() {
        return indexer;
    }

    @Override
    public int partitions() {
        return PARTITIONS;
    }

    @Override
    public long indexedEvents() {
        return indexer.indexedEvents();
    }

    @Override
    public void close() {
        indexer.close();
        gate.close();
    }
}
