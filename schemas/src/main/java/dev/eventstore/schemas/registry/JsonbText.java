package dev.eventstore.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON text exactly as PostgreSQL prints a {@code jsonb} value ({@code data::text}): object keys ordered by
 * their UTF-8 length and then byte by byte, {@code ": "} and {@code ", "} between items, strings escaped as
 * PostgreSQL's {@code escape_json} does, and numbers as {@code numeric} prints them (plain notation, the
 * scale their text had, never below 0). Readers render a payload's JSON with it when the index keeps no JSON
 * form of the payload, so that what they return is the same text the {@code jsonb} column gave.
 */
public final class JsonbText {

    /** jsonb's order of object keys (lengthCompareJsonbString): shorter first, then bytes unsigned. */
    private static final Comparator<byte[]> KEY_ORDER = Comparator.<byte[]>comparingInt(key -> key.length)
            .thenComparing(Arrays::compareUnsigned);

    private JsonbText() {}

    /**
     * The text of {@code json} as {@code jsonb}, or empty when {@code jsonb} cannot hold it: a string or key
     * holding U+0000 (the index leaves such a payload's JSON out too).
     */
    public static Optional<String> of(JsonNode json) {
        StringBuilder out = new StringBuilder(256);
        return append(json, out) ? Optional.of(out.toString()) : Optional.empty();
    }

    private static boolean append(JsonNode json, StringBuilder out) {
        switch (json.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<byte[], JsonNode>> fields = new ArrayList<>(json.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    fields.add(Map.entry(field.getKey().getBytes(StandardCharsets.UTF_8), field.getValue()));
                }
                fields.sort(Map.Entry.comparingByKey(KEY_ORDER));
                out.append('{');
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    if (!string(new String(fields.get(i).getKey(), StandardCharsets.UTF_8), out)) {
                        return false;
                    }
                    out.append(": ");
                    if (!append(fields.get(i).getValue(), out)) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < json.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    if (!append(json.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                return string(json.textValue(), out);
            }
            case NUMBER -> {
                out.append(number(json));
                return true;
            }
            case BOOLEAN -> {
                out.append(json.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            default -> throw new IllegalArgumentException("no jsonb form for a JSON node of type " + json.getNodeType());
        }
    }

    /**
     * A number as jsonb keeps it: PostgreSQL reads the text Jackson writes with {@code numeric_in}, whose
     * display scale is the digits after the point less the exponent, never below 0 (Java's {@code BigDecimal}
     * takes the same scale from the same text), and prints it plainly.
     */
    private static String number(JsonNode json) {
        Number value = json.numberValue();
        String text = value instanceof Double d ? Double.toString(d)
                : value instanceof Float f ? Float.toString(f)
                : value.toString();
        BigDecimal decimal = new BigDecimal(text);
        return decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString();
    }

    /** PostgreSQL's escape_json; false for U+0000, which jsonb refuses. */
    private static boolean string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\0' -> {
                    return false;
                }
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        return true;
    }
}
