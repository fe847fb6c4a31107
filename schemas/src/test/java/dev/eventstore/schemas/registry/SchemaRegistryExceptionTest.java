package dev.eventstore.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class SchemaRegistryExceptionTest {

    @Test
    void anUnansweredRequestOrAServerErrorIsRetryableARefusalIsNot() {
        assertThat(new SchemaRegistryException("registry unreachable", new ConnectException("refused")).isRetryable()).isTrue();
        assertThat(new SchemaRegistryException(503, 50003, "unavailable").isRetryable()).isTrue();
        assertThat(new SchemaRegistryException(409, 409, "incompatible").isRetryable()).isFalse();
        assertThat(new SchemaRegistryException(404, 40401, "subject not found").isRetryable()).isFalse();
        assertThat(new MalformedPayloadException("payload shorter than the 5-byte wire-format header").isRetryable()).isFalse();
    }
}
