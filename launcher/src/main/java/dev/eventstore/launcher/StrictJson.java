package dev.eventstore.launcher;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON from the command line, read strictly: one value and nothing after it, no key twice in an object
 * (a lenient reader keeps the last and drops the other without a word), and numbers with a fraction read
 * exactly (decimals).
 */
final class StrictJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private StrictJson() {}

    /** @throws UsageException naming the option and the problem when {@code text} is not one JSON value */
    static JsonNode read(String option, String text) {
        try {
            JsonNode json = JSON.readTree(text);
            if (json == null || json.isMissingNode()) {
                throw new UsageException(option + " is empty: it must be one JSON value");
            }
            return json;
        } catch (JsonParseException e) {
            throw new UsageException(option + " is not valid JSON: " + e.getOriginalMessage() + " (column " + e.getLocation().getColumnNr() + ")");
        } catch (JsonProcessingException e) {
            throw new UsageException(option + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
