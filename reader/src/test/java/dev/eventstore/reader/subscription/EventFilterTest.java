package dev.eventstore.reader.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.EnvelopeHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private static Headers envelope(String stream, String type) {
        Headers headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, stream);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, type);
        return headers;
    }

    @Test
    void anyValueOfADimensionMatchesAndEveryDimensionMust() {
        EventFilter filter = EventFilter.categories("Order", "Invoice").withEventTypes("OrderPlaced");
        assertThat(filter.matches(envelope("Order-1", "OrderPlaced"))).isTrue();
        assertThat(filter.matches(envelope("Invoice-7-a", "OrderPlaced"))).isTrue();
        assertThat(filter.matches(envelope("Order-1", "OrderShipped"))).isFalse();
        assertThat(filter.matches(envelope("Orders-1", "OrderPlaced"))).as("category is the prefix before the first '-'").isFalse();
        assertThat(EventFilter.streams("Order-1").matches(envelope("Order-1", "X"))).isTrue();
        assertThat(EventFilter.streams("Order-1").matches(envelope("Order-11", "X"))).isFalse();
        assertThat(EventFilter.all().matches(envelope("Anything-1", "X"))).isTrue();
    }

    @Test
    void aRecordWithoutEnvelopeReachesOnlyASubscriptionToEverything() {
        assertThat(EventFilter.all().matches(new RecordHeaders())).isTrue();
        assertThat(EventFilter.categories("Order").matches(new RecordHeaders())).isFalse();
        assertThat(EventFilter.eventTypes("OrderPlaced").matches(new RecordHeaders())).isFalse();
    }
}
