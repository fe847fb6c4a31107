package dev.eventstore.client;

import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.SettingKeys;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where an application finds the store, with the keys of the store's own properties file (the one
 * {@code ./eventstore local} writes and the roles read):
 * <ul>
 *   <li>{@code kafka.bootstrap.servers} (appends, subscriptions), and any other {@code kafka.*} key, handed to
 *       the Kafka clients without its prefix (security settings, for instance);</li>
 *   <li>{@code schema.registry.url} (appends, snapshots, decoding), {@code schema.registry.basic.auth.user.info};</li>
 *   <li>{@code jdbc.url} (reads, snapshots), {@code jdbc.user} ({@code postgres}), {@code jdbc.password} (empty),
 *       {@code index.schema} ({@code eventstore});</li>
 *   <li>{@code topic.prefix} ({@code es}), {@code append.timeout.ms} (the client's default, 10,000);</li>
 *   <li>{@code keys.cache.ttl.ms} (30,000): how long a data key stays cached in this process, the bound on how long a
 *       subject forgotten by another process can still be decrypted here (0: no cache).</li>
 * </ul>
 * A part of the client needs only its own keys: an application that only reads gives no Kafka address.
 */
public final class EventStoreSettings {

    /** The prefix of environment variables that {@link #withEnvironment} takes: {@code EVENTSTORE_JDBC_URL} → {@code jdbc.url}. */
    public static final String ENV_PREFIX = SettingKeys.ENV_PREFIX;

    private final Map<String, String> values;

    private EventStoreSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static EventStoreSettings of(Map<String, String> values) {
        Map<String, String> trimmed = new HashMap<>();
        values.forEach((key, value) -> trimmed.put(key, value.trim()));
        return new EventStoreSettings(trimmed);
    }

    public static EventStoreSettings of(Properties properties) {
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return of(values);
    }

    /** The settings of a properties file, e.g. {@code ~/.eventstore/local.properties}. */
    public static EventStoreSettings load(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the settings file " + file, e);
        }
        return of(properties);
    }

    /** These settings overlaid by the {@code EVENTSTORE_*} variables of {@code environment}. */
    public EventStoreSettings withEnvironment(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>(values);
        environment.forEach((name, value) -> SettingKeys.keyOf(name).ifPresent(key -> merged.put(key, value.trim())));
        return new EventStoreSettings(merged);
    }

    /** These settings with {@code key} set to {@code value}. */
    public EventStoreSettings with(String key, String value) {
        Map<String, String> changed = new HashMap<>(values);
        changed.put(key, value.trim());
        return new EventStoreSettings(changed);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(value -> !value.isBlank());
    }

    String required(String key, String neededFor) {
        return get(key).orElseThrow(() -> new IllegalArgumentException(
                "setting " + key + " is missing (needed for " + neededFor + ")"));
    }

    String bootstrapServers(String neededFor) {
        return required(SettingKeys.BOOTSTRAP_SERVERS, neededFor);
    }

    /** The {@code kafka.*} settings without the prefix and without the bootstrap servers. */
    Map<String, Object> kafkaProperties() {
        return SettingKeys.kafkaProperties(values);
    }

    StoreTopics topics() {
        return new StoreTopics(get("topic.prefix").orElse(StoreTopics.DEFAULT_PREFIX));
    }

    SchemaRegistryConfig schemaRegistry(String neededFor) {
        SchemaRegistryConfig registry = SchemaRegistryConfig.of(required("schema.registry.url", neededFor));
        return get("schema.registry.basic.auth.user.info").map(registry::withBasicAuth).orElse(registry);
    }

    IndexDatabase indexDatabase(String neededFor) {
        return new IndexDatabase(required("jdbc.url", neededFor), get("jdbc.user").orElse("postgres"),
                get("jdbc.password").orElse(""), get("index.schema").orElse("eventstore"));
    }

    Optional<Duration> appendTimeout() {
        return millis("append.timeout.ms");
    }

    Optional<Duration> keyCacheTtl() {
        return millis("keys.cache.ttl.ms");
    }

    private Optional<Duration> millis(String key) {
        return get(key).map(value -> {
            try {
                return Duration.ofMillis(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + " must be a number of milliseconds, not '" + value + "'");
            }
        });
    }

    @Override
    public String toString() {
        // Never print passwords or credentials: the keys only.
        return "EventStoreSettings" + new java.util.TreeSet<>(values.keySet());
    }
}
