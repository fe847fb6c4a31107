package dev.eventstore.indexer;

import java.util.HexFormat;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
final class CopyText {

    /** Marks a value already in COPY form (bytea's escaped hex), not to be escaped again. */
    record Raw(String text) {}

    private CopyText() {}

    static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object value = values[i];
            if (value == null) {
                out.append("\\N");
            } else if (value instanceof Raw raw) {
                out.append(raw.text());
            } else {
                escape(out, value.toString());
            }
        }
        out.append('\n');
    }

    /** bytea in hex form, its leading backslash escaped for COPY. */
    static Raw bytea(byte[] bytes) {
        return new Raw("\\\\x" + HexFormat.of().formatHex(bytes));
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
    }
}
