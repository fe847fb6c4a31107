package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnvelopeHeadersTest {

    @Test
    void readsTheEnvelopeAndTheMetadataInOnePassWithTheLastValueOfARepeatedHeader() {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, "Order-1");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, "3");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, "5d1c8f5e-0000-4000-8000-000000000001");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, "OrderPlaced");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, "c-1");
        EnvelopeHeaders.put(headers, "tenant", "acme");
        EnvelopeHeaders.put(headers, "es.future-field", "ignored");
        EnvelopeHeaders.put(headers, "tenant", "globex");
        EnvelopeHeaders.put(headers, "user", "ann");
        headers.add("empty", null);

        EnvelopeHeaders.Envelope envelope = EnvelopeHeaders.read(headers);

        assertThat(envelope.streamId()).isEqualTo("Order-1");
        assertThat(envelope.version()).isEqualTo("3");
        assertThat(envelope.eventId()).isEqualTo("5d1c8f5e-0000-4000-8000-000000000001");
        assertThat(envelope.type()).isEqualTo("OrderPlaced");
        assertThat(envelope.correlationId()).isEqualTo("c-1");
        assertThat(envelope.causationId()).isNull();
        assertThat(envelope.requestId()).isNull();
        assertThat(envelope.metadata()).containsExactly(Map.entry("tenant", "globex"), Map.entry("user", "ann"));
        assertThat(EnvelopeHeaders.metadata(headers)).containsExactly(Map.entry("tenant", "globex"), Map.entry("user", "ann"));
    }

    @Test
    void aMissingRequiredHeaderIsNamed() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EnvelopeHeaders.STREAM, "Order-1".getBytes(StandardCharsets.UTF_8));

        EnvelopeHeaders.Envelope envelope = EnvelopeHeaders.read(headers);

        assertThat(envelope.streamId()).isEqualTo("Order-1");
        assertThatThrownBy(envelope::version).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing envelope header es.version");
    }
}
