package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownOutcomesTest {

    private final UnknownOutcomes unknown = new UnknownOutcomes();

    @Test
    void aRequestIdWhoseOutcomeIsUnknownMayBeSentAgainOnlyWithTheSameAppend() {
        StreamAppend first = append("Account-1", "event-1");
        unknown.remember("request-1", first);

        assertThat(unknown.reuse("request-1", append("Account-1", "event-1"))).as("a true retry").isEmpty();
        assertThat(unknown.reuse("request-1", append("Account-2", "event-1")))
                .hasValue("named an append to stream Account-1 whose outcome is unknown");
        assertThat(unknown.reuse("request-1", append("Account-1", "event-2"))).get().asString()
                .startsWith("named another append to this stream whose outcome is unknown");
        assertThat(unknown.reuse("request-2", append("Account-2", "event-2"))).as("another request id").isEmpty();
    }

    private static StreamAppend append(String streamId, String eventId) {
        EventData event = new EventData(eventId, "MoneyDeposited", ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}), Map.of());
        return new StreamAppend("request-1", streamId, ExpectedVersionKind.ANY, 0L, null, null, List.of(event), null, null, null);
    }
}
