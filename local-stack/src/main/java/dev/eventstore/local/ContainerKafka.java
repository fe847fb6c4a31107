package dev.eventstore.local;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container of the official {@code apache/kafka} image, through Testcontainers: an opt-in for
 * users with Docker ({@code EVENTSTORE_TEST_KAFKA=testcontainers}); the tests here run on the embedded broker.
 */
final class ContainerKafka implements KafkaServer {

    static final String IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new LocalStackException("Kafka by Testcontainers was asked for (" + LocalStackOptions.KAFKA_SWITCH
                    + "=testcontainers) but no Docker engine is reachable; unset it to use the embedded broker");
        }
        KafkaContainer container = new KafkaContainer(IMAGE)
                // As the embedded broker: transactions on one node, no topic created by accident.
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void stop() {
        container.stop();
    }
}
