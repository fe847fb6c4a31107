package dev.eventstore.local;

/** The stack's Kafka: a broker in a child JVM (the default) or, by opt-in, in a Testcontainers container. */
interface KafkaServer {

    String bootstrapServers();

    void stop();
}
