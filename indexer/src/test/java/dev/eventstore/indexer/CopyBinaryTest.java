package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CopyBinaryTest {

    private static final String HEADER = "5047434f50590aff0d0a00" + "00000000" + "00000000";
    private static final String TRAILER = "ffff";

    @Test
    void anEmptyCopyIsTheSignatureFlagsAndTrailer() throws SQLException {
        assertThat(hex(all(new CopyBinary(0)))).isEqualTo(HEADER + TRAILER);
    }

    @Test
    void eachValueIsItsLengthThenItsBinaryForm() throws SQLException {
        UUID id = UUID.fromString("6f1c2a3e-1b2c-4d5e-8f90-0123456789ab");

        byte[] copy = all(new CopyBinary(64).row(8).text("é").text(null).int4(7).int8(-2).uuid(id).bytes(new byte[] {0, (byte) 0xff})
                .jsonb("{}").timestamptz(946_684_800_001L));

        assertThat(hex(copy)).isEqualTo(HEADER
                + "0008"                                    // eight columns
                + "00000002" + "c3a9"                       // text as UTF-8
                + "ffffffff"                                // null
                + "00000004" + "00000007"                   // int4
                + "00000008" + "fffffffffffffffe"           // int8
                + "00000010" + "6f1c2a3e1b2c4d5e8f900123456789ab" // uuid, most significant half first
                + "00000002" + "00ff"                       // bytea as is
                + "00000003" + "01" + hex("{}".getBytes(StandardCharsets.UTF_8)) // jsonb: version 1, then the text
                + "00000008" + "00000000000003e8"           // 1 ms after PostgreSQL's epoch, in microseconds
                + TRAILER);
    }

    @Test
    void timestampsBeforePostgresEpochAreNegativeMicroseconds() throws SQLException {
        byte[] copy = all(new CopyBinary(32).row(1).timestamptz(0));

        long micros = ByteBuffer.wrap(copy, HEADER.length() / 2 + 2 + 4, 8).getLong();
        assertThat(micros).isEqualTo(-946_684_800_000_000L);
    }

    @Test
    void drainingAsItGoesHandsOverTheSameBytesAsDrainingOnceAtTheEnd() throws SQLException {
        ByteArrayOutputStream parts = new ByteArrayOutputStream();
        CopyBinary streamed = new CopyBinary(8);
        streamed.row(2).text("Account-1");
        streamed.drainTo(parts::write);
        assertThat(streamed.pending()).isZero();
        streamed.int8(1).row(2).text("Account-2").int8(2);
        streamed.drainTo(parts::write);
        streamed.end();
        streamed.drainTo(parts::write);

        byte[] once = all(new CopyBinary(8).row(2).text("Account-1").int8(1).row(2).text("Account-2").int8(2));

        assertThat(hex(parts.toByteArray())).isEqualTo(hex(once));
    }

    /** The whole input, trailer included, drained at once. */
    private static byte[] all(CopyBinary copy) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.end();
        copy.drainTo(out::write);
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
