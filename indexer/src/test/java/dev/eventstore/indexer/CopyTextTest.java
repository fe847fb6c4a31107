package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void valuesAreTabSeparatedWithNullsAndSpecialCharactersEscaped() {
        StringBuilder out = new StringBuilder();

        new CopyText(out).text("a\tb").text(null).number(7).text("line\nbreak").text("{\"q\": \"back\\\\slash\"}").text("cr\r")
                .text("plain").endRow();

        assertThat(out.toString()).isEqualTo("a\\tb\t\\N\t7\tline\\nbreak\t{\"q\": \"back\\\\\\\\slash\"}\tcr\\r\tplain\n");
    }

    @Test
    void byteaIsHexWithItsBackslashEscapedForCopy() {
        StringBuilder out = new StringBuilder();

        new CopyText(out).bytea(new byte[] {0, 15, (byte) 255, (byte) 0x9c}).endRow();

        assertThat(out.toString()).isEqualTo("\\\\x000fff9c\n");
    }

    @Test
    void rowsFollowOneAnotherAndTimestampsAreIsoInUtc() {
        StringBuilder out = new StringBuilder();
        CopyText rows = new CopyText(out);

        rows.number(1).timestamp(0).endRow();
        rows.number(2).timestamp(1_700_000_000_123L).endRow();
        rows.number(3).timestamp(1_700_000_000_123L).endRow();
        rows.number(4).timestamp(0).endRow();

        assertThat(out.toString()).isEqualTo("1\t1970-01-01T00:00:00Z\n2\t2023-11-14T22:13:20.123Z\n3\t2023-11-14T22:13:20.123Z\n"
                + "4\t1970-01-01T00:00:00Z\n");
    }
}
