package dev.eventstore.schemas;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of the store's properties file ({@code kafka.bootstrap.servers}, {@code jdbc.url}, ...) as the roles and
 * the client read them: each may come from an environment variable named {@code EVENTSTORE_} + the key in upper case
 * with dots as underscores, and every {@code kafka.*} key other than the bootstrap servers is handed to the Kafka
 * clients without its prefix (security settings, for instance).
 */
public final class SettingKeys {

    /** The prefix of the environment variables that set keys: {@code EVENTSTORE_JDBC_URL} → {@code jdbc.url}. */
    public static final String ENV_PREFIX = "EVENTSTORE_";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    private static final String KAFKA_PREFIX = "kafka.";

    private SettingKeys() {}

    /** The key an environment variable sets, if its name has the prefix. */
    public static Optional<String> keyOf(String variable) {
        return variable.startsWith(ENV_PREFIX)
                ? Optional.of(variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'))
                : Optional.empty();
    }

    /** The environment variable that sets {@code key}. */
    public static String variableOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The {@code kafka.*} settings of {@code values}, without the prefix and without the bootstrap servers. */
    public static Map<String, Object> kafkaProperties(Map<String, String> values) {
        Map<String, Object> kafka = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX) && !key.equals(BOOTSTRAP_SERVERS)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        return kafka;
    }
}
