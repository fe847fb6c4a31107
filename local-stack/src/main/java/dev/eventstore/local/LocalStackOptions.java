package dev.eventstore.local;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * @param dataDir where the broker, PostgreSQL and the registry keep their data; reused by the next start
 *     (same ports too, when free). Empty: a fresh temporary directory, deleted on close.
 * @param kafkaInContainer run Kafka in a Testcontainers container of the official image instead of the
 *     embedded broker (needs Docker; the broker then cannot be stopped or killed through {@link LocalStack#broker()})
 * @param brokers how many Kafka nodes: 1 (the default, for development) or a replicated KRaft cluster of
 *     up to {@value #MAX_BROKERS}, each node its own process; three or more replicate the internal topics three times
 */
public record LocalStackOptions(Optional<Path> dataDir, boolean kafkaInContainer, int brokers) {

    public static final int MAX_BROKERS = 5;

    public LocalStackOptions {
        if (brokers < 1 || brokers > MAX_BROKERS) {
            throw new LocalStackException("the local cluster has 1 to " + MAX_BROKERS + " brokers, not " + brokers);
        }
        if (kafkaInContainer && brokers != 1) {
            throw new LocalStackException("Kafka in a container is a single broker; a cluster of " + brokers + " runs embedded only");
        }
    }

    /** The switch, as a system property or an environment variable: {@code embedded} (default) or {@code testcontainers}. */
    public static final String KAFKA_SWITCH = "EVENTSTORE_TEST_KAFKA";

    public static LocalStackOptions defaults() {
        return new LocalStackOptions(Optional.empty(), false, 1);
    }

    /** The defaults, with Kafka where {@value #KAFKA_SWITCH} (or the system property {@code eventstore.test.kafka}) says. */
    public static LocalStackOptions fromEnvironment() {
        String kafka = System.getProperty("eventstore.test.kafka", System.getenv().getOrDefault(KAFKA_SWITCH, "embedded"));
        return switch (kafka.toLowerCase(Locale.ROOT)) {
            case "embedded", "" -> defaults();
            case "testcontainers" -> new LocalStackOptions(Optional.empty(), true, 1);
            default -> throw new LocalStackException(KAFKA_SWITCH + " must be 'embedded' or 'testcontainers', not '" + kafka + "'");
        };
    }

    public LocalStackOptions withDataDir(Path dir) {
        return new LocalStackOptions(Optional.of(dir), kafkaInContainer, brokers);
    }

    public LocalStackOptions withBrokers(int brokers) {
        return new LocalStackOptions(dataDir, kafkaInContainer, brokers);
    }
}
