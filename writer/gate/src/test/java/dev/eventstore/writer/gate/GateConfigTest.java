package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GateConfigTest {

    @Test
    void theGatesClientsAskAgainAfter10MsUnlessTheUserSaysOtherwise() {
        Properties defaults = GateConfig.defaults("broker:9092", "http://registry:8081").toStreamsProperties();
        Properties overridden = GateConfig.defaults("broker:9092", "http://registry:8081")
                .withKafkaProperties(Map.of("retry.backoff.ms", 250)).toStreamsProperties();

        assertThat(defaults).containsEntry("retry.backoff.ms", 10);
        assertThat(overridden).containsEntry("retry.backoff.ms", 250);
    }
}
