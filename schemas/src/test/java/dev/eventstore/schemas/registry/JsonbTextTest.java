package dev.eventstore.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The text PostgreSQL 14/15 prints for these values cast to jsonb ({@code SELECT '…'::jsonb::text}); the
 * renderer is checked against PostgreSQL itself over random payloads in {@code PayloadPropertiesTest}.
 */
class JsonbTextTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    @Test
    void objectKeysComeShortestFirstThenInByteOrderWithPostgresSpacing() throws Exception {
        String json = "{\"bb\":1,\"a\":[true,null,{}],\"ab\":{\"é\":[],\"z\":\"x\"}}";

        assertThat(JsonbText.of(new ObjectMapper().readTree(json)))
                .hasValue("{\"a\": [true, null, {}], \"ab\": {\"z\": \"x\", \"é\": []}, \"bb\": 1}");
    }

    @Test
    void numbersPrintAsPostgresNumericPrintsThemPlainWithTheirScale() {
        ObjectNode numbers = NODES.objectNode();
        numbers.put("a", 1.0E10);
        numbers.put("b", 1.5E-7);
        numbers.put("c", new BigDecimal("1.50"));
        numbers.put("d", 0.1f);
        numbers.put("e", Long.MIN_VALUE);
        numbers.put("f", -2.5);

        assertThat(JsonbText.of(numbers)).hasValue("{\"a\": 10000000000, \"b\": 0.00000015, \"c\": 1.50, \"d\": 0.1,"
                + " \"e\": -9223372036854775808, \"f\": -2.5}");
    }

    @Test
    void stringsAreEscapedAsPostgresEscapesThemAndU0000HasNoJsonbForm() {
        assertThat(JsonbText.of(NODES.textNode("q\"b\\s/\n\t\r\b\f\u0001\u001fé€😀")))
                .hasValue("\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001fé€😀\"");
        assertThat(JsonbText.of(NODES.textNode("a\u0000b"))).isEmpty();
        assertThat(JsonbText.of(NODES.objectNode().put("k\u0000", 1))).isEmpty();
    }
}
