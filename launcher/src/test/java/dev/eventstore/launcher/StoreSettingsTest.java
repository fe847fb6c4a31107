package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.writer.gate.GateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.eventstore.writer.gate.TopicSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingsTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariablesOverrideTheFileAndKafkaSettingsPassThroughWithoutTheirPrefix() throws Exception {
        Path file = dir.resolve("store.properties");
        Files.write(file, List.of("kafka.bootstrap.servers=file:9092", "kafka.security.protocol=SSL", "topic.prefix=orders",
                "gate.commit.interval.ms=50", "schema.registry.url=http://registry:8081"));

        StoreSettings settings = StoreSettings.load(Optional.of(file), Map.of(
                "EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "EVENTSTORE_KAFKA_SASL_MECHANISM", "PLAIN",
                "EVENTSTORE_GATE_STATE_DIR", "/var/lib/gate",
                "PATH", "/usr/bin"));

        assertThat(settings.bootstrapServers()).isEqualTo("env:9092");
        assertThat(settings.kafkaProperties()).isEqualTo(Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN"));
        assertThat(settings.gateConfig().applicationId()).isEqualTo("orders-gate");
        assertThat(settings.gateConfig().stateDir()).isEqualTo(Path.of("/var/lib/gate"));
        assertThat(settings.gateConfig().commitInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.gateConfig().kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(settings.gateConfig().schemaRegistry().url().toString()).isEqualTo("http://registry:8081");
        assertThat(settings.topics().events()).isEqualTo("orders.events");
    }

    @Test
    void topicReplicationIsLeftToTheClusterUnlessSetAndTheGateInstanceIdIsItsStaticMembership() {
        StoreSettings unset = StoreSettings.load(Optional.empty(), Map.of("EVENTSTORE_CONFIG", dir.resolve("none").toString(),
                "EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(unset.topicSettings()).isEqualTo(TopicSettings.of(4));

        StoreSettings set = StoreSettings.load(Optional.empty(), Map.of("EVENTSTORE_CONFIG", dir.resolve("none").toString(),
                "EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "EVENTSTORE_TOPIC_REPLICATION_FACTOR", "3",
                "EVENTSTORE_TOPIC_MIN_INSYNC_REPLICAS", "2", "EVENTSTORE_GATE_INSTANCE_ID", "gate-1",
                "EVENTSTORE_SCHEMA_REGISTRY_URL", "http://registry:8081"));
        assertThat(set.topicSettings()).isEqualTo(TopicSettings.of(4).withReplicationFactor((short) 3).withMinInsyncReplicas(2));
        assertThat(set.gateConfig().kafkaProperties()).containsEntry("group.instance.id", "gate-1");
    }

    @Test
    void theEnvironmentAloneIsEnoughWhenNoFileIsGiven() {
        StoreSettings settings = StoreSettings.load(Optional.empty(), Map.of(
                "EVENTSTORE_CONFIG", dir.resolve("absent.properties").toString(),
                "EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "EVENTSTORE_JDBC_URL", "jdbc:postgresql://db/eventstore",
                "EVENTSTORE_SCHEMA_REGISTRY_URL", "http://registry:8081",
                "EVENTSTORE_INDEXER_GROUP_ID", "projector"));

        assertThat(settings.indexerConfig().groupId()).isEqualTo("projector");
        assertThat(settings.indexerConfig().database().jdbcUrl()).isEqualTo("jdbc:postgresql://db/eventstore");
        assertThat(settings.indexerConfig().database().user()).isEqualTo("postgres");
        assertThat(settings.indexerConfig().schemaRegistry().url().toString()).isEqualTo("http://registry:8081");
    }

    @Test
    void theRolesOfTheDefaultTopicsTakeTheLibrarysApplicationAndGroupIdsAndSayWhereEachSettingCameFrom() throws Exception {
        Path file = dir.resolve("defaults.properties");
        Files.write(file, List.of("kafka.bootstrap.servers=file:9092", "jdbc.url=jdbc:postgresql://db/eventstore",
                "schema.registry.url=http://registry:8081"));

        StoreSettings settings = StoreSettings.load(Optional.of(file), Map.of("EVENTSTORE_JDBC_URL", "jdbc:postgresql://other/eventstore"));

        assertThat(settings.gateConfig().applicationId()).isEqualTo(GateConfig.DEFAULT_APPLICATION_ID).isEqualTo("eventstore-gate");
        assertThat(settings.indexerConfig().groupId()).isEqualTo(IndexerConfig.DEFAULT_GROUP_ID).isEqualTo("eventstore-indexer");
        assertThat(settings.sourceOf("kafka.bootstrap.servers")).isEqualTo("the settings file " + file);
        assertThat(settings.sourceOf("jdbc.url")).isEqualTo("the environment variable EVENTSTORE_JDBC_URL");
        assertThat(settings.sourceOf("index.schema")).isEqualTo("the default");
    }

    @Test
    void aMissingOrMalformedSettingIsAClearUsageError() {
        StoreSettings settings = StoreSettings.load(Optional.empty(), Map.of(
                "EVENTSTORE_CONFIG", dir.resolve("absent.properties").toString(), "EVENTSTORE_TOPIC_PARTITIONS", "four"));

        assertThatThrownBy(settings::bootstrapServers).isInstanceOf(UsageException.class)
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("EVENTSTORE_KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> settings.getInt("topic.partitions", 4)).isInstanceOf(UsageException.class)
                .hasMessageContaining("topic.partitions must be a whole number, not 'four'");
    }

    @Test
    void aNamedFileThatCannotBeReadIsAUsageError() {
        assertThatThrownBy(() -> StoreSettings.load(Optional.of(dir.resolve("missing.properties")), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("cannot read the settings file");
    }
}
