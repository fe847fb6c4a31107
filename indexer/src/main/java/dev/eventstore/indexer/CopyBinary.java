package dev.eventstore.indexer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format: each value as its type's binary form behind its length.
 * PostgreSQL then parses no text for the numbers, the UUID, the payload and the timestamp (the text
 * format's hex bytea and ISO timestamps were a good part of its work per event).
 */
final class CopyBinary {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** timestamptz counts microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    private static final byte JSONB_VERSION = 1;

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    CopyBinary(int expectedBytes) {
        this.bytes = new ByteArrayOutputStream(expectedBytes);
        this.out = new DataOutputStream(bytes);
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // no header extension
        });
    }

    CopyBinary row(int columns) {
        write(() -> out.writeShort(columns));
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
        write(() -> {
            out.writeInt(utf8.length + 1);
            out.writeByte(JSONB_VERSION);
            out.write(utf8);
        });
        return this;
    }

    CopyBinary bytes(byte[] value) {
        write(() -> {
            out.writeInt(value.length);
            out.write(value);
        });
        return this;
    }

    CopyBinary int4(int value) {
        write(() -> {
            out.writeInt(4);
            out.writeInt(value);
        });
        return this;
    }

    CopyBinary int8(long value) {
        write(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
        return this;
    }

    CopyBinary uuid(UUID value) {
        write(() -> {
            out.writeInt(16);
            out.writeLong(value.getMostSignificantBits());
            out.writeLong(value.getLeastSignificantBits());
        });
        return this;
    }

    CopyBinary timestamptz(long epochMillis) {
        return int8((epochMillis - POSTGRES_EPOCH_MILLIS) * 1_000);
    }

    /** The whole COPY input: the header, the rows and the trailer. */
    byte[] finish() {
        write(() -> out.writeShort(-1));
        return bytes.toByteArray();
    }

    private CopyBinary nullValue() {
        write(() -> out.writeInt(-1));
        return this;
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A ByteArrayOutputStream never fails; DataOutputStream declares that it might. */
    private void write(Write write) {
        try {
            write.run();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }
}
