package dev.eventstore.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Plain JSON for Avro data, as people and SQL expect it: records are objects, a nullable field is its
 * value or null (not Avro's {@code {"string": …}} union wrapping). Used for the JSONB copy of payloads
 * and for the command line, so every value renders as something PostgreSQL's {@code jsonb} accepts and
 * {@link #toRecord} reads back to the same value:
 *
 * <ul>
 *   <li>bytes and fixed are base64 strings (RFC 4648, padded): Avro's own JSON encoding (one code point
 *       per byte) would put U+0000 in the JSON for every zero byte, which {@code jsonb} refuses;
 *   <li>a decimal (logical type on bytes or fixed) is a JSON number with its scale;
 *   <li>the float and double values JSON numbers cannot carry are strings: {@code "NaN"},
 *       {@code "Infinity"}, {@code "-Infinity"} and {@code "-0.0"} ({@code jsonb} numbers have no
 *       negative zero);
 *   <li>a union is its value alone: with several non-null branches that fit the same JSON (int and
 *       long, say) the branch is not recorded, and reading picks the first that fits.
 * </ul>
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final List<String> NON_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "-0.0");

    private AvroJson() {}

    public static JsonNode toJson(Object datum, Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                ObjectNode object = NODES.objectNode();
                GenericRecord record = (GenericRecord) datum;
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                yield object;
            }
            case UNION -> datum == null ? NODES.nullNode()
                    : toJson(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) datum) {
                    array.add(toJson(item, schema.getElementType()));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) datum).forEach((k, v) -> object.set(Utf8Strings.decode(k), toJson(v, schema.getValueType())));
                yield object;
            }
            case STRING -> NODES.textNode(Utf8Strings.decode(datum));
            case ENUM -> NODES.textNode(datum.toString());
            case BYTES -> binary(bytes((ByteBuffer) datum), schema);
            case FIXED -> binary(((GenericFixed) datum).bytes(), schema);
            case INT -> NODES.numberNode((Integer) datum);
            case LONG -> NODES.numberNode((Long) datum);
            case FLOAT -> {
                float value = (Float) datum;
                yield jsonNumberCannotCarry(value) ? NODES.textNode(Float.toString(value)) : NODES.numberNode(value);
            }
            case DOUBLE -> {
                double value = (Double) datum;
                yield jsonNumberCannotCarry(value) ? NODES.textNode(Double.toString(value)) : NODES.numberNode(value);
            }
            case BOOLEAN -> NODES.booleanNode((Boolean) datum);
            case NULL -> NODES.nullNode();
        };
    }

    /**
     * Builds a generic record from plain JSON. Missing fields take their schema default.
     *
     * @throws IllegalArgumentException naming the field when the JSON does not fit the schema
     */
    public static GenericRecord toRecord(JsonNode json, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("schema " + schema.getFullName() + " is not a record");
        }
        return (GenericRecord) fromJson(json, schema, schema.getName());
    }

    private static Object fromJson(JsonNode json, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object", json);
                }
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = json.get(field.name());
                    if (value == null) {
                        if (!field.hasDefaultValue()) {
                            throw new IllegalArgumentException("missing field '" + path + "." + field.name() + "' (no default)");
                        }
                        record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    } else {
                        record.put(field.pos(), fromJson(value, field.schema(), path + "." + field.name()));
                    }
                }
                for (var names = json.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new IllegalArgumentException("unknown field '" + path + "." + name + "' for schema " + schema.getFullName());
                    }
                }
                return record;
            }
            case UNION -> {
                if (json.isNull() && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                    return null;
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() == Schema.Type.NULL) {
                        continue;
                    }
                    try {
                        return fromJson(json, branch, path);
                    } catch (IllegalArgumentException wrongBranch) {
                        // try the next branch of the union
                    }
                }
                throw mismatch(path, "one of " + schema.getTypes(), json);
            }
            case ARRAY -> {
                if (!json.isArray()) {
                    throw mismatch(path, "an array", json);
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    items.add(fromJson(json.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object", json);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                json.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            }
            case ENUM -> {
                if (!json.isTextual() || !schema.hasEnumSymbol(json.asText())) {
                    throw mismatch(path, "one of " + schema.getEnumSymbols(), json);
                }
                return new GenericData.EnumSymbol(schema, json.asText());
            }
            case STRING -> {
                return text(json, path);
            }
            case BYTES -> {
                return ByteBuffer.wrap(binary(json, schema, path));
            }
            case FIXED -> {
                byte[] bytes = binary(json, schema, path);
                if (bytes.length != schema.getFixedSize()) {
                    throw mismatch(path, schema.getFixedSize() + " bytes", json);
                }
                return new GenericData.Fixed(schema, bytes);
            }
            case INT -> {
                if (!json.canConvertToInt() || !json.isIntegralNumber()) {
                    throw mismatch(path, "an int", json);
                }
                return json.intValue();
            }
            case LONG -> {
                if (!json.canConvertToLong() || !json.isIntegralNumber()) {
                    throw mismatch(path, "a long", json);
                }
                return json.longValue();
            }
            case FLOAT -> {
                // From the decimal text when there is one: through a double first, a float could round twice.
                return json.isBigDecimal() ? json.decimalValue().floatValue() : (float) number(json, path);
            }
            case DOUBLE -> {
                return number(json, path);
            }
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw mismatch(path, "a boolean", json);
                }
                return json.booleanValue();
            }
            case NULL -> {
                if (!json.isNull()) {
                    throw mismatch(path, "null", json);
                }
                return null;
            }
            default -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType() + " at " + path);
        }
    }

    private static String text(JsonNode json, String path) {
        if (!json.isTextual()) {
            throw mismatch(path, "a string", json);
        }
        return json.asText();
    }

    private static double number(JsonNode json, String path) {
        if (json.isTextual() && NON_NUMBERS.contains(json.asText())) {
            return Double.parseDouble(json.asText());
        }
        if (!json.isNumber()) {
            throw mismatch(path, "a number (or one of " + NON_NUMBERS + ")", json);
        }
        return json.doubleValue();
    }

    private static boolean jsonNumberCannotCarry(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) || (value == 0 && 1 / value < 0);
    }

    private static JsonNode binary(byte[] bytes, Schema schema) {
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("a decimal of " + schema.getType() + " with no bytes has no value");
            }
            return NODES.numberNode(new BigDecimal(new BigInteger(bytes), decimal.getScale()));
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }

    private static byte[] binary(JsonNode json, Schema schema, String path) {
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            if (!json.isNumber()) {
                throw mismatch(path, "a decimal number", json);
            }
            try {
                BigDecimal value = json.decimalValue().setScale(decimal.getScale());
                byte[] unscaled = value.unscaledValue().toByteArray();
                return schema.getType() == Schema.Type.FIXED ? signExtend(unscaled, schema.getFixedSize(), path, json) : unscaled;
            } catch (ArithmeticException e) {
                throw mismatch(path, "a decimal with at most " + decimal.getScale() + " digits after the point", json);
            }
        }
        try {
            return Base64.getDecoder().decode(text(json, path));
        } catch (IllegalArgumentException e) {
            throw mismatch(path, "base64 (RFC 4648)", json);
        }
    }

    private static byte[] signExtend(byte[] unscaled, int size, String path, JsonNode json) {
        if (unscaled.length > size) {
            throw mismatch(path, "a decimal that fits in " + size + " bytes", json);
        }
        byte[] fixed = new byte[size];
        byte fill = (byte) (unscaled[0] < 0 ? 0xff : 0);
        java.util.Arrays.fill(fixed, 0, size - unscaled.length, fill);
        System.arraycopy(unscaled, 0, fixed, size - unscaled.length, unscaled.length);
        return fixed;
    }

    private static IllegalArgumentException mismatch(String path, String expected, JsonNode actual) {
        return new IllegalArgumentException("field '" + path + "' must be " + expected + ", got " + actual);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
