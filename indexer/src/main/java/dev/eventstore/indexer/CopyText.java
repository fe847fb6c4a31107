package dev.eventstore.indexer;

import java.time.Instant;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. Values
 * are written one by one, typed, straight into one buffer: the indexer writes every event through here,
 * so nothing is boxed, formatted twice or copied through intermediate strings.
 */
final class CopyText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean rowStarted;
    private long lastMillis = Long.MIN_VALUE;
    private String lastTimestamp;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    CopyText text(String value) {
        separate();
        if (value == null) {
            out.append("\\N");
        } else {
            escape(value);
        }
        return this;
    }

    CopyText number(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** bytea in hex form, its leading backslash escaped for COPY. */
    CopyText bytea(byte[] bytes) {
        separate();
        out.append("\\\\x");
        for (byte b : bytes) {
            out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return this;
    }

    CopyText timestamp(long epochMillis) {
        separate();
        // Events of one gate commit share their millisecond: format each distinct one once.
        if (epochMillis != lastMillis) {
            lastTimestamp = Instant.ofEpochMilli(epochMillis).toString(); // ISO-8601 in UTC, which timestamptz reads
            lastMillis = epochMillis;
        }
        out.append(lastTimestamp);
        return this;
    }

    void endRow() {
        out.append('\n');
        rowStarted = false;
    }

    private void separate() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }

    private void escape(String text) {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            if (replacement != null) {
                out.append(text, start, i).append(replacement);
                start = i + 1;
            }
        }
        out.append(text, start, text.length()); // most values need no escape: appended in one copy
    }
}
