package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingKeysTest {

    @Test
    void anEnvironmentVariableWithThePrefixSetsTheKeyItNames() {
        assertThat(SettingKeys.keyOf("EVENTSTORE_KAFKA_SECURITY_PROTOCOL")).contains("kafka.security.protocol");
        assertThat(SettingKeys.keyOf("EVENTSTORE_JDBC_URL")).contains("jdbc.url");
        assertThat(SettingKeys.keyOf("JDBC_URL")).isEmpty();
        assertThat(SettingKeys.keyOf("eventstore_jdbc_url")).as("the prefix is upper case").isEmpty();
    }

    @Test
    void aKeyIsSetByTheVariableThatNamesIt() {
        assertThat(SettingKeys.variableOf("schema.registry.url")).isEqualTo("EVENTSTORE_SCHEMA_REGISTRY_URL");
        assertThat(SettingKeys.keyOf(SettingKeys.variableOf("schema.registry.url"))).contains("schema.registry.url");
    }

    @Test
    void theKafkaClientsGetTheKafkaKeysWithoutThePrefixAndWithoutTheBootstrapServers() {
        Map<String, String> values = Map.of("kafka.bootstrap.servers", "b:9092", "kafka.security.protocol", "SSL",
                "kafka.sasl.mechanism", "PLAIN", "jdbc.url", "jdbc:postgresql://p/db", "kafkaesque", "no");

        assertThat(SettingKeys.kafkaProperties(values)).isEqualTo(Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN"));
    }
}
