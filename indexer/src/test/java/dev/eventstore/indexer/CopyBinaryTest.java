package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CopyBinaryTest {

    private static final String HEADER = "5047434f50590aff0d0a00" + "00000000" + "00000000";
    private static final String TRAILER = "ffff";

    @Test
    void anEmptyCopyIsTheSignatureFlagsAndTrailer() {
        assertThat(hex(new CopyBinary(0).finish())).isEqualTo(HEADER + TRAILER);
    }

    @Test
    void eachValueIsItsLengthThenItsBinaryForm() {
        UUID id = UUID.fromString("6f1c2a3e-1b2c-4d5e-8f90-0123456789ab");

        byte[] copy = new CopyBinary(64).row(8).text("é").text(null).int4(7).int8(-2).uuid(id).bytes(new byte[] {0, (byte) 0xff})
                .jsonb("{}").timestamptz(946_684_800_001L).finish();

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
    void timestampsBeforePostgresEpochAreNegativeMicroseconds() {
        byte[] copy = new CopyBinary(32).row(1).timestamptz(0).finish();

        long micros = ByteBuffer.wrap(copy, HEADER.length() / 2 + 2 + 4, 8).getLong();
        assertThat(micros).isEqualTo(-946_684_800_000_000L);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
