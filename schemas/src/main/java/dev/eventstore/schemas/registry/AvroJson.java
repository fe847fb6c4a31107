package dev.eventstore.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Plain JSON for Avro data, as people and SQL expect it: records are objects, a nullable field is its
 * value or null (not Avro's {@code {"string": …}} union wrapping), bytes are ISO-8859-1 strings as in
 * Avro's own JSON encoding. Used for the JSONB copy of payloads and for the command line.
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
                ((Map<?, ?>) datum).forEach((k, v) -> object.set(k.toString(), toJson(v, schema.getValueType())));
                yield object;
            }
            case STRING, ENUM -> NODES.textNode(datum.toString());
            case BYTES -> NODES.textNode(latin1((ByteBuffer) datum));
            case FIXED -> NODES.textNode(new String(((GenericFixed) datum).bytes(), StandardCharsets.ISO_8859_1));
            case INT -> NODES.numberNode((Integer) datum);
            case LONG -> NODES.numberNode((Long) datum);
            case FLOAT -> NODES.numberNode((Float) datum);
            case DOUBLE -> NODES.numberNode((Double) datum);
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
                return ByteBuffer.wrap(text(json, path).getBytes(StandardCharsets.ISO_8859_1));
            }
            case FIXED -> {
                byte[] bytes = text(json, path).getBytes(StandardCharsets.ISO_8859_1);
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
                return (float) number(json, path);
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
        if (!json.isNumber()) {
            throw mismatch(path, "a number", json);
        }
        return json.doubleValue();
    }

    private static IllegalArgumentException mismatch(String path, String expected, JsonNode actual) {
        return new IllegalArgumentException("field '" + path + "' must be " + expected + ", got " + actual);
    }

    private static String latin1(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
