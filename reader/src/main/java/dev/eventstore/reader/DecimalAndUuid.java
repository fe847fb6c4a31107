package dev.eventstore.reader;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The envelope's version and event id parsed from their UTF-8 bytes without a string in between. Anything
 * but the canonical forms the gate writes (plain decimal digits; the 36-character hyphenated UUID) goes to
 * {@link Long#parseLong} and {@link UUID#fromString}, so what they accept and how they fail is unchanged.
 */
final class DecimalAndUuid {

    private DecimalAndUuid() {}

    static long parseLong(byte[] ascii) {
        // 18 digits cannot overflow a long.
        if (ascii.length == 0 || ascii.length > 18) {
            return Long.parseLong(new String(ascii, StandardCharsets.UTF_8));
        }
        long value = 0;
        for (byte b : ascii) {
            if (b < '0' || b > '9') {
                return Long.parseLong(new String(ascii, StandardCharsets.UTF_8));
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    static UUID parseUuid(byte[] ascii) {
        if (ascii.length != 36 || ascii[8] != '-' || ascii[13] != '-' || ascii[18] != '-' || ascii[23] != '-') {
            return UUID.fromString(new String(ascii, StandardCharsets.UTF_8));
        }
        long time = hex(ascii, 0, 8);
        long mid = hex(ascii, 9, 13);
        long high = hex(ascii, 14, 18);
        long sequence = hex(ascii, 19, 23);
        long node = hex(ascii, 24, 36);
        if ((time | mid | high | sequence | node) < 0) {
            return UUID.fromString(new String(ascii, StandardCharsets.UTF_8));
        }
        return new UUID(time << 32 | mid << 16 | high, sequence << 48 | node);
    }

    /** The hex digits in {@code [from, to)} (12 at most, so never negative), or -1 for a character that is none. */
    private static long hex(byte[] ascii, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(ascii[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
