package dev.eventstore.launcher;

import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.SettingKeys;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PostgresKeyStore;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.TopicSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of a process of the store: a properties file, overlaid by environment variables named
 * {@code EVENTSTORE_} + the key in upper case with dots as underscores ({@code kafka.bootstrap.servers}
 * ← {@code EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS}). Every {@code kafka.*} key other than the bootstrap
 * servers is handed to the Kafka clients without its prefix (security settings, for instance).
 */
final class StoreSettings {

    static final String ENV_PREFIX = SettingKeys.ENV_PREFIX;

    private final Map<String, String> values;
    /** Where each value came from: the file, or the environment variable that overrides it. */
    private final Map<String, String> sources;
    private final String origin;

    private StoreSettings(Map<String, String> values, Map<String, String> sources, String origin) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.origin = origin;
    }

    /**
     * @param file the properties file; when empty, the default file if it exists ({@code $EVENTSTORE_CONFIG},
     *     else {@code ~/.eventstore/local.properties}, written by {@code local}), else the environment alone
     */
    static StoreSettings load(Optional<Path> file, Map<String, String> environment) {
        Optional<Path> source = file.or(() -> Optional.of(defaultFile(environment)).filter(Files::exists));
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        source.ifPresent(path -> read(path).forEach((key, value) -> {
            values.put(key, value);
            sources.put(key, "the settings file " + path);
        }));
        environment.forEach((name, value) -> {
            if (!name.equals(ENV_PREFIX + "CONFIG") && !name.equals(ENV_PREFIX + "CONNECTION")) {
                SettingKeys.keyOf(name).ifPresent(key -> {
                    values.put(key, value);
                    sources.put(key, "the environment variable " + name);
                });
            }
        });
        return new StoreSettings(values, sources, source.map(path -> path + " and the environment").orElse("the environment"));
    }

    static StoreSettings load(Path file) {
        return load(Optional.ofNullable(file), System.getenv());
    }

    static Path defaultFile(Map<String, String> environment) {
        String configured = environment.getOrDefault(ENV_PREFIX + "CONFIG", environment.get(ENV_PREFIX + "CONNECTION"));
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".eventstore", "local.properties");
    }

    String required(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new UsageException("setting " + key + " is missing from " + origin + " (as an environment variable: "
                    + SettingKeys.variableOf(key) + "); start a local store with"
                    + " ./eventstore local, or pass --config FILE");
        }
        return value;
    }

    /**
     * Where {@code key}'s value came from ("the settings file ~/.eventstore/local.properties", "the environment
     * variable EVENTSTORE_JDBC_URL", "the default"): a user whose server does not answer learns which file is stale.
     */
    String sourceOf(String key) {
        return sources.getOrDefault(key, "the default");
    }

    String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    int getInt(String key, int fallback) {
        String value = get(key, null);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("setting " + key + " must be a whole number, not '" + value + "'");
        }
    }

    boolean getBoolean(String key, boolean fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("setting " + key + " must be true or false, not '" + value + "'");
        };
    }

    Duration getMillis(String key, Duration fallback) {
        return Duration.ofMillis(getInt(key, (int) fallback.toMillis()));
    }

    String bootstrapServers() {
        return required(SettingKeys.BOOTSTRAP_SERVERS);
    }

    /** The {@code kafka.*} settings for the clients, without the prefix and without the bootstrap servers. */
    Map<String, Object> kafkaProperties() {
        return SettingKeys.kafkaProperties(values);
    }

    /** A Kafka admin client with these settings; the caller closes it. */
    Admin admin() {
        Map<String, Object> props = new HashMap<>(kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /**
     * How the gate creates missing topics: {@code topic.partitions} (4), {@code topic.replication.factor}
     * and {@code topic.min.insync.replicas} (unset: chosen from the cluster's size).
     */
    TopicSettings topicSettings() {
        TopicSettings topic = TopicSettings.of(getInt("topic.partitions", StoreServices.PARTITIONS));
        if (get("topic.replication.factor", null) != null) {
            topic = topic.withReplicationFactor((short) getInt("topic.replication.factor", 1));
        }
        if (get("topic.min.insync.replicas", null) != null) {
            topic = topic.withMinInsyncReplicas(getInt("topic.min.insync.replicas", 1));
        }
        return topic;
    }

    StoreTopics topics() {
        return new StoreTopics(get("topic.prefix", StoreTopics.DEFAULT_PREFIX));
    }

    String indexSchema() {
        return get("index.schema", StoreAddresses.INDEX_SCHEMA);
    }

    SchemaRegistryConfig schemaRegistry() {
        SchemaRegistryConfig registry = SchemaRegistryConfig.of(required("schema.registry.url"));
        String userInfo = get("schema.registry.basic.auth.user.info", null);
        return userInfo == null ? registry : registry.withBasicAuth(userInfo);
    }

    StoreAddresses addresses() {
        return new StoreAddresses(bootstrapServers(), required("jdbc.url"), get("jdbc.user", "postgres"), get("jdbc.password", ""),
                required("schema.registry.url"));
    }

    /**
     * A reader of the index these settings name, rendering payloads' JSON with the registry where the index keeps
     * none; the caller closes it.
     */
    EventReader eventReader() {
        return new EventReader(indexDatabase(), new PayloadJson(new EventCodec(new SchemaRegistryClient(schemaRegistry()),
                topics().events(), false)));
    }

    IndexDatabase indexDatabase() {
        StoreAddresses addresses = addresses();
        return new IndexDatabase(addresses.jdbcUrl(), addresses.jdbcUser(), addresses.jdbcPassword(), indexSchema());
    }

    /**
     * The key store of personal data: the index database's {@code data_keys} table, a connection per call and
     * no cache (a command is one short process, so a forget elsewhere is seen at its next call).
     */
    DataKeyStore keyStore() {
        IndexDatabase database = indexDatabase();
        return new PostgresKeyStore(database::connect, database.schema());
    }

    /**
     * The indexer of these settings: {@code indexer.group.id} ({@code eventstore-indexer}, or {@code <topic prefix>-indexer}
     * for another prefix than {@code es}), {@code index.schema}, {@code index.data.json} ({@code false}: whether the
     * events table's {@code data} column gets each payload as jsonb).
     */
    IndexerConfig indexerConfig() {
        StoreAddresses addresses = addresses();
        return IndexerConfig.of(addresses.bootstrapServers(), new IndexDatabase(addresses.jdbcUrl(), addresses.jdbcUser(),
                        addresses.jdbcPassword(), indexSchema()), addresses.schemaRegistryUrl())
                .withSchemaRegistry(schemaRegistry())
                .withTopics(topics())
                .withGroupId(get("indexer.group.id", IndexerConfig.defaultGroupId(topics())))
                .withKafkaProperties(kafkaProperties())
                .withDataJson(getBoolean("index.data.json", false));
    }

    /**
     * The gate of these settings: {@code gate.application.id} ({@code eventstore-gate}, or {@code <topic prefix>-gate}
     * for another prefix than {@code es}),
     * {@code gate.state.dir} (~/.eventstore/gate-state), {@code gate.commit.interval.ms} (10).
     */
    GateConfig gateConfig() {
        GateConfig defaults = GateConfig.defaults(bootstrapServers(), required("schema.registry.url"));
        return defaults.withTopics(topics())
                .withSchemaRegistry(schemaRegistry())
                .withApplicationId(get("gate.application.id", GateConfig.defaultApplicationId(topics())))
                .withStateDir(Path.of(get("gate.state.dir", defaults.stateDir().toString())))
                .withCommitInterval(getMillis("gate.commit.interval.ms", defaults.commitInterval()))
                .withKafkaProperties(gateKafkaProperties());
    }

    /** The Kafka settings, plus {@code gate.instance.id} as the gate's static group membership when set. */
    private Map<String, Object> gateKafkaProperties() {
        Map<String, Object> props = new HashMap<>(kafkaProperties());
        String instanceId = get("gate.instance.id", null);
        if (instanceId != null) {
            props.put("group.instance.id", instanceId);
        }
        return props;
    }

    private static Map<String, String> read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UsageException("cannot read the settings file " + file + " (" + e + ")");
        }
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames().forEach(key -> values.put(key, props.getProperty(key).trim()));
        return values;
    }
}
