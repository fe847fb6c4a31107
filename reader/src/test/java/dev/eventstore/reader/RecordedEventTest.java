package dev.eventstore.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.schemas.EnvelopeHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordedEventTest {

    private static final UUID EVENT_ID = UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    private static final long TIMESTAMP = 1_700_000_000_123L;

    private static ConsumerRecord<String, byte[]> record(RecordHeaders headers, byte[] value) {
        return new ConsumerRecord<>("es.events", 3, 42, TIMESTAMP, TimestampType.CREATE_TIME, 0, value == null ? 0 : value.length,
                "Account-7", value, headers, Optional.empty());
    }

    private static RecordHeaders envelope() {
        RecordHeaders headers = new RecordHeaders();
        put(headers, EnvelopeHeaders.STREAM, "Account-7");
        put(headers, EnvelopeHeaders.VERSION, "12");
        put(headers, EnvelopeHeaders.EVENT_ID, EVENT_ID.toString());
        put(headers, EnvelopeHeaders.TYPE, "MoneyDeposited");
        put(headers, EnvelopeHeaders.CORRELATION_ID, "c-1");
        put(headers, EnvelopeHeaders.REQUEST_ID, "r-1");
        put(headers, EnvelopeHeaders.SUBJECT, "Customer-3");
        put(headers, "tenant", "acme");
        return headers;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEventReadOffTheLogEqualsTheEventBuiltFromTheComponentsItsEnvelopeHolds() {
        byte[] payload = {0, 0, 0, 0, 1, 2};
        RecordHeaders headers = envelope();
        // A repeated header counts with its last non-null value.
        put(headers, EnvelopeHeaders.TYPE, "MoneyWithdrawn");
        headers.add(EnvelopeHeaders.TYPE, null);

        RecordedEvent event = RecordedEvent.fromLog(record(headers, payload));

        RecordedEvent expected = new RecordedEvent("Account-7", 12, EVENT_ID, "MoneyWithdrawn", payload,
                Map.of(EnvelopeHeaders.SUBJECT, "Customer-3", "tenant", "acme"), Optional.of("c-1"), Optional.empty(),
                Instant.ofEpochMilli(TIMESTAMP), OptionalLong.empty(), new RecordedEvent.LogPosition(3, 42), Optional.empty());
        assertThat(event).isEqualTo(expected).hasSameHashCodeAs(expected).hasToString(expected.toString());
        assertThat(event.toString()).startsWith("RecordedEvent[streamId=Account-7, version=12, ");
        assertThat(event.dataSubject()).isEqualTo("Customer-3");
        assertThat(event.metadata()).doesNotContainKey(EnvelopeHeaders.REQUEST_ID);
        assertThat(event.isStreamMarker()).isFalse();
    }

    @Test
    void aRecordWithoutEnvelopeOrWithAMalformedOneIsRefusedByTheFirstAccessorAsNotRetryable() {
        RecordedEvent none = RecordedEvent.fromLog(record(new RecordHeaders(), new byte[] {1}));
        assertThatThrownBy(none::eventType).isInstanceOf(MalformedEnvelopeException.class)
                .hasMessage("missing envelope header es.stream")
                .satisfies(e -> assertThat(((MalformedEnvelopeException) e).isRetryable()).isFalse());
        assertThatThrownBy(none::payload).isInstanceOf(MalformedEnvelopeException.class);
        assertThat(none.toString()).isEqualTo("RecordedEvent[unreadable: missing envelope header es.stream]");

        RecordHeaders badVersion = envelope();
        put(badVersion, EnvelopeHeaders.VERSION, "12x");
        assertThatThrownBy(RecordedEvent.fromLog(record(badVersion, new byte[0]))::version)
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("12x");

        RecordHeaders badId = envelope();
        put(badId, EnvelopeHeaders.EVENT_ID, "not a uuid");
        assertThatThrownBy(RecordedEvent.fromLog(record(badId, new byte[0]))::streamId)
                .isInstanceOf(MalformedEnvelopeException.class);
    }

    @Test
    void aLifecycleMarkersNullValueReadsAsAnEmptyPayloadAndTheEventAsAMarker() {
        RecordHeaders headers = envelope();
        put(headers, EnvelopeHeaders.TYPE, "$stream-deleted");

        RecordedEvent marker = RecordedEvent.fromLog(record(headers, null));

        assertThat(marker.payload()).isEmpty();
        assertThat(marker.isStreamMarker()).isTrue();
    }
}
