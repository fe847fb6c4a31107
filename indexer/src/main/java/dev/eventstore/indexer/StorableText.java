package dev.eventstore.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * What PostgreSQL's {@code text} and {@code jsonb} cannot hold: U+0000. (Every other string a Java program
 * decodes from UTF-8 is valid UTF-8 again: the log's bytes never carry an unpaired surrogate.) Checked
 * before the COPY, so that a row is never refused for its content.
 */
final class StorableText {

    /** Stands for U+0000 in an escaped text column: the six characters {@code \u0000}. */
    static final String ESCAPED_NUL = "\\u0000";

    private StorableText() {}

    static boolean storable(String text) {
        return text == null || text.indexOf('\0') < 0;
    }

    /** {@code text} with each U+0000 written as {@link #ESCAPED_NUL}. */
    static String escape(String text) {
        return storable(text) ? text : text.replace("\0", ESCAPED_NUL);
    }

    /** The JSON path of the first name or string in {@code json} that holds U+0000, or null when there is none. */
    static String firstUnstorable(JsonNode json, String path) {
        if (json.isTextual()) {
            return storable(json.textValue()) ? null : path;
        }
        if (json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                String found = firstUnstorable(json.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (json.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path + "." + escape(field.getKey());
                String found = storable(field.getKey()) ? firstUnstorable(field.getValue(), fieldPath) : fieldPath;
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
