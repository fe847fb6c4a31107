package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void valuesAreTabSeparatedWithNullsAndSpecialCharactersEscaped() {
        StringBuilder out = new StringBuilder();

        CopyText.row(out, "a\tb", null, 7L, "line\nbreak", "{\"q\": \"back\\\\slash\"}", "cr\r");

        assertThat(out.toString()).isEqualTo("a\\tb\t\\N\t7\tline\\nbreak\t{\"q\": \"back\\\\\\\\slash\"}\tcr\\r\n");
    }

    @Test
    void byteaIsHexWithItsBackslashEscapedForCopy() {
        StringBuilder out = new StringBuilder();

        CopyText.row(out, CopyText.bytea(new byte[] {0, 15, (byte) 255}));

        assertThat(out.toString()).isEqualTo("\\\\x000fff\n");
    }
}
