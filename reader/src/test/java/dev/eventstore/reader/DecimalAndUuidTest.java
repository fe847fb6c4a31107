package dev.eventstore.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecimalAndUuidTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsDecimalVersionsAsLongParseLongDoesAndFailsAsItDoes() {
        for (String version : new String[] {"1", "42", "999999999999999999", "9223372036854775807", "+7", "-3", "007", "١٢"}) {
            assertThat(DecimalAndUuid.parseLong(ascii(version))).as(version).isEqualTo(Long.parseLong(version));
        }
        for (String bad : new String[] {"", "1x", "9223372036854775808", " 1", "1٫"}) {
            assertThatThrownBy(() -> DecimalAndUuid.parseLong(ascii(bad))).as(bad).isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void readsEventIdsAsUuidFromStringDoesAndFailsAsItDoes() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = UUID.randomUUID();
            assertThat(DecimalAndUuid.parseUuid(ascii(id.toString()))).isEqualTo(id);
            assertThat(DecimalAndUuid.parseUuid(ascii(id.toString().toUpperCase()))).isEqualTo(id);
        }
        for (String other : new String[] {"ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000", "1-2-3-4-5"}) {
            assertThat(DecimalAndUuid.parseUuid(ascii(other))).as(other).isEqualTo(UUID.fromString(other));
        }
        for (String bad : new String[] {"", "not a uuid", "g1234567-1234-1234-1234-123456789012", "12345678-1234-1234-1234-12345678901é"}) {
            assertThatThrownBy(() -> DecimalAndUuid.parseUuid(ascii(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
