package dev.eventstore.indexer;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format: each value as its type's binary form behind its length.
 * PostgreSQL then parses no text for the numbers, the UUID, the payload and the timestamp (the text
 * format's hex bytea and ISO timestamps were a good part of its work per event). Written big-endian
 * straight into one growing array, drained into the COPY as it fills: the indexer writes every event
 * through here.
 */
final class CopyBinary {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** timestamptz counts microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    private static final byte JSONB_VERSION = 1;
    private static final int NULL_LENGTH = -1;

    private byte[] out;
    private int size;

    CopyBinary(int expectedBytes) {
        this.out = new byte[Math.max(expectedBytes, 64)];
        putBytes(SIGNATURE);
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    CopyBinary row(int columns) {
        putShort(columns);
        return this;
    }

    CopyBinary text(String value) {
        return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    CopyBinary jsonb(String json) {
        if (json == null) {
            return nullValue();
        }
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length + 1);
        put(JSONB_VERSION);
        putBytes(utf8);
        return this;
    }

    CopyBinary bytes(byte[] value) {
        putInt(value.length);
        putBytes(value);
        return this;
    }

    CopyBinary int4(int value) {
        putInt(4);
        putInt(value);
        return this;
    }

    CopyBinary int8(long value) {
        putInt(8);
        putLong(value);
        return this;
    }

    CopyBinary uuid(UUID value) {
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    CopyBinary timestamptz(long epochMillis) {
        return int8((epochMillis - POSTGRES_EPOCH_MILLIS) * 1_000);
    }

    /** Where the COPY input goes, a part at a time (pgjdbc's {@code CopyIn::writeToCopy}). */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** Bytes written since the last {@link #drainTo}. */
    int pending() {
        return size;
    }

    /** Hands the pending bytes to {@code sink} and starts over with an empty buffer (the same array). */
    void drainTo(Sink sink) throws SQLException {
        sink.write(out, 0, size);
        size = 0;
    }

    /** Writes the trailer: the input is complete after the next {@link #drainTo}. */
    void end() {
        putShort(-1);
    }

    private CopyBinary nullValue() {
        putInt(NULL_LENGTH);
        return this;
    }

    private void putShort(int value) {
        ensure(2);
        out[size++] = (byte) (value >>> 8);
        out[size++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out[size++] = (byte) (value >>> shift);
        }
    }

    private void putLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[size++] = (byte) (value >>> shift);
        }
    }

    private void put(byte value) {
        ensure(1);
        out[size++] = value;
    }

    private void putBytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, out, size, value.length);
        size += value.length;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
