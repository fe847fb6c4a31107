package dev.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStoreSettingsTest {

    @Test
    void kafkaKeysOtherThanTheBootstrapServersReachTheClientsWithoutTheirPrefix() {
        EventStoreSettings settings = EventStoreSettings.of(Map.of("kafka.bootstrap.servers", "b:9092",
                "kafka.security.protocol", "SASL_SSL", "jdbc.url", "jdbc:postgresql://db/es"));

        assertThat(settings.kafkaProperties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        assertThat(settings.bootstrapServers("appends")).isEqualTo("b:9092");
    }

    @Test
    void environmentVariablesOverlayTheFileWithTheSameKeys() {
        EventStoreSettings settings = EventStoreSettings.of(Map.of("jdbc.url", "jdbc:postgresql://file/es", "topic.prefix", "es"))
                .withEnvironment(Map.of("EVENTSTORE_JDBC_URL", "jdbc:postgresql://env/es", "PATH", "/bin"));

        assertThat(settings.get("jdbc.url")).contains("jdbc:postgresql://env/es");
        assertThat(settings.get("topic.prefix")).contains("es");
        assertThat(settings.get("path")).isEmpty();
    }

    @Test
    void defaultsApplyToTheOptionalKeys() {
        EventStoreSettings settings = EventStoreSettings.of(Map.of("jdbc.url", "jdbc:postgresql://db/es"));

        assertThat(settings.topics().prefix()).isEqualTo("es");
        assertThat(settings.indexDatabase("reads").schema()).isEqualTo("eventstore");
        assertThat(settings.indexDatabase("reads").user()).isEqualTo("postgres");
        assertThat(settings.appendTimeout()).isEqualTo(Optional.empty());
        assertThat(settings.with("append.timeout.ms", "2500").appendTimeout()).contains(Duration.ofMillis(2500));
    }

    @Test
    void aTimeoutThatIsNoNumberIsRefusedNamingTheKey() {
        EventStoreSettings settings = EventStoreSettings.of(Map.of("append.timeout.ms", "2s"));

        assertThatThrownBy(settings::appendTimeout).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("append.timeout.ms").hasMessageContaining("'2s'");
    }

    @Test
    void printedSettingsShowTheirKeysButNoValues() {
        EventStoreSettings settings = EventStoreSettings.of(Map.of("jdbc.password", "s3cret", "jdbc.url", "jdbc:postgresql://db/es"));

        assertThat(settings.toString()).contains("jdbc.password").doesNotContain("s3cret");
    }
}
