package dev.eventstore.schemas.personal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * The fields a schema marks {@code "personal": true}, found anywhere in it: in the record, in nested
 * records, in records inside arrays, map values and unions. A personal field must be of a type that can
 * carry ciphertext: {@code string}, {@code bytes}, or a union of {@code null} with either or both.
 */
final class PersonalFields {

    static final String PROPERTY = "personal";
    static final String ALLOWED = "string, bytes, or a union of null with string and/or bytes";

    /** Schemas are few and long-lived (the registry's, the generated classes'): the answer is kept per schema. */
    private static final Map<Schema, Boolean> MARKED = new ConcurrentHashMap<>();

    /** What to do with one personal value (never null); returns its replacement. */
    interface ValueOp {
        Object apply(Object value, Schema.Field field, String path);
    }

    private PersonalFields() {}

    /**
     * Whether the schema has personal fields.
     *
     * @throws InvalidPersonalFieldException when one is marked on a type that cannot carry ciphertext
     */
    static boolean any(Schema schema) {
        Boolean marked = MARKED.get(schema);
        if (marked == null) {
            marked = check(schema, "", new HashSet<>());
            MARKED.put(schema, marked);
        }
        return marked;
    }

    private static boolean check(Schema schema, String path, Set<String> seen) {
        return switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    yield false; // a recursive reference: its fields are checked where the record is defined
                }
                boolean any = false;
                for (Schema.Field field : schema.getFields()) {
                    String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    if (isMarked(schema, field, fieldPath)) {
                        requireCarrier(schema, field, fieldPath);
                        any = true;
                    } else {
                        any |= check(field.schema(), fieldPath, seen);
                    }
                }
                yield any;
            }
            case ARRAY -> check(schema.getElementType(), path, seen);
            case MAP -> check(schema.getValueType(), path, seen);
            case UNION -> {
                boolean any = false;
                for (Schema branch : schema.getTypes()) {
                    any |= check(branch, path, seen);
                }
                yield any;
            }
            default -> false;
        };
    }

    private static boolean isMarked(Schema record, Schema.Field field, String path) {
        Object mark = field.getObjectProp(PROPERTY);
        if (mark == null || Boolean.FALSE.equals(mark)) {
            return false;
        }
        if (!Boolean.TRUE.equals(mark)) {
            throw new InvalidPersonalFieldException("field " + path + " of " + record.getFullName() + " has \"" + PROPERTY
                    + "\": " + mark + "; the mark is true or false");
        }
        return true;
    }

    private static void requireCarrier(Schema record, Schema.Field field, String path) {
        Schema type = field.schema();
        List<Schema> branches = type.getType() == Schema.Type.UNION ? type.getTypes() : List.of(type);
        boolean carrier = branches.stream().anyMatch(PersonalFields::isCarrier);
        boolean allCarryOrNull = branches.stream().allMatch(b -> isCarrier(b) || b.getType() == Schema.Type.NULL);
        if (!carrier || !allCarryOrNull || type.getLogicalType() != null) {
            throw new InvalidPersonalFieldException("field " + path + " of " + record.getFullName() + " is marked \""
                    + PROPERTY + "\" but its type " + type + " cannot carry ciphertext; a personal field is " + ALLOWED);
        }
    }

    private static boolean isCarrier(Schema schema) {
        // A logical type (uuid, decimal) would make a reader expect its form instead of ciphertext.
        return (schema.getType() == Schema.Type.STRING || schema.getType() == Schema.Type.BYTES) && schema.getLogicalType() == null;
    }

    /** Whether null is a value the field can hold (the erased value of a nullable field). */
    static boolean nullable(Schema.Field field) {
        Schema type = field.schema();
        return type.getType() == Schema.Type.NULL
                || type.getType() == Schema.Type.UNION && type.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL);
    }

    /**
     * Replaces every personal value in {@code datum} (of {@code schema}) by {@code op}'s answer, in place: the
     * caller passes a copy it owns. Null values stay null (a nullable field's absence is not encrypted).
     */
    static Object replace(Schema schema, Object datum, String path, ValueOp op, GenericData data) {
        if (datum == null) {
            return null;
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) datum;
                for (Schema.Field field : schema.getFields()) {
                    String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    Object value = record.get(field.pos());
                    if (Boolean.TRUE.equals(field.getObjectProp(PROPERTY))) {
                        record.put(field.pos(), value == null ? null : op.apply(value, field, fieldPath));
                    } else {
                        record.put(field.pos(), replace(field.schema(), value, fieldPath, op, data));
                    }
                }
                return record;
            }
            case ARRAY -> {
                @SuppressWarnings("unchecked")
                List<Object> list = datum instanceof List<?> l ? (List<Object>) l : List.copyOf((Collection<Object>) datum);
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, replace(schema.getElementType(), list.get(i), path, op, data));
                }
                return list;
            }
            case MAP -> {
                @SuppressWarnings("unchecked")
                Map<Object, Object> map = (Map<Object, Object>) datum;
                map.replaceAll((key, value) -> replace(schema.getValueType(), value, path, op, data));
                return map;
            }
            case UNION -> {
                return replace(schema.getTypes().get(data.resolveUnion(schema, datum)), datum, path, op, data);
            }
            default -> {
                return datum;
            }
        }
    }
}
