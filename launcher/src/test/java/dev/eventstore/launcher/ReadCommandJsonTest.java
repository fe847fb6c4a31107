package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventstore.reader.RecordedEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadCommandJsonTest {

    @Test
    void anEventTheIndexHoldsOtherThanAsWrittenCarriesWhyAndAFaithfulOneNoDegradedField() throws Exception {
        ObjectNode degraded = ReadCommand.toJson(event(Optional.empty(),
                Optional.of("data left out: the string at $.accountId holds U+0000, which jsonb cannot store")));
        ObjectNode faithful = ReadCommand.toJson(event(Optional.of("{\"accountId\": \"a\"}"), Optional.empty()));

        assertThat(degraded.get("degraded").asText()).isEqualTo("data left out: the string at $.accountId holds U+0000, which jsonb cannot store");
        assertThat(degraded.get("data").isNull()).isTrue();
        assertThat(faithful.has("degraded")).isFalse();
        assertThat(faithful.get("data").get("accountId").asText()).isEqualTo("a");
    }

    private static RecordedEvent event(Optional<String> dataJson, Optional<String> degraded) {
        return new RecordedEvent("Account-1", 1, UUID.randomUUID(), "MoneyDeposited", new byte[] {0, 0, 0, 0, 1}, Map.of(),
                Optional.empty(), Optional.empty(), Instant.parse("2026-12-06T06:00:00Z"), OptionalLong.of(7),
                new RecordedEvent.LogPosition(0, 7), dataJson, degraded);
    }
}
