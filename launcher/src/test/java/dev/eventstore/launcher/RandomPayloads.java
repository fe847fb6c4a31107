package dev.eventstore.launcher;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Random Avro record schemas and values of every type the schema language has, from one seed: strings
 * drawn from every class of code point (NUL and other controls, unpaired surrogates, supplementary
 * planes, bidirectional overrides, combining marks, noncharacters, U+FFFD), bytes and fixed with any
 * content, floats and doubles including NaN, ±Infinity and -0.0, decimals on bytes and fixed, nested
 * records, arrays, maps, nullable unions, enums, and now and then a very long string.
 */
final class RandomPayloads {

    /** Code points that stress a text path, each drawn as often as a whole class below. */
    private static final int[] NASTY = {0x0000, 0x0001, 0x001F, 0x007F, 0x0085, 0x00A0, 0x200B, 0x200D, 0x202A, 0x202B,
            0x202D, 0x202E, 0x2066, 0x2069, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10FFFF, 0x1F600, '"', '\\', '\'', '\n'};

    private final Random random;
    private int names;

    RandomPayloads(long seed) {
        this.random = new Random(seed);
    }

    /** A record schema of one to six fields, nested at most three levels deep. */
    Schema schema(String namespace, String name) {
        return record(namespace, name, 0);
    }

    private Schema record(String namespace, String name, int depth) {
        int fields = 1 + random.nextInt(6);
        List<Schema.Field> list = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            list.add(new Schema.Field("f" + i, type(namespace, depth + 1)));
        }
        return Schema.createRecord(name, null, namespace, false, list);
    }

    private Schema type(String namespace, int depth) {
        int kinds = depth >= 3 ? 12 : 17;
        return switch (random.nextInt(kinds)) {
            case 0 -> Schema.create(Schema.Type.NULL);
            case 1 -> Schema.create(Schema.Type.BOOLEAN);
            case 2 -> Schema.create(Schema.Type.INT);
            case 3 -> Schema.create(Schema.Type.LONG);
            case 4 -> Schema.create(Schema.Type.FLOAT);
            case 5 -> Schema.create(Schema.Type.DOUBLE);
            case 6 -> Schema.create(Schema.Type.BYTES);
            case 7, 8 -> Schema.create(Schema.Type.STRING);
            case 9 -> Schema.createFixed("X" + names++, null, namespace, 1 + random.nextInt(16));
            case 10 -> Schema.createEnum("E" + names++, null, namespace, List.of("A", "B", "C_D"));
            case 11 -> random.nextBoolean()
                    ? LogicalTypes.decimal(1 + random.nextInt(38), 0).addToSchema(Schema.create(Schema.Type.BYTES))
                    : LogicalTypes.decimal(18, random.nextInt(19)).addToSchema(Schema.createFixed("D" + names++, null, namespace, 8));
            case 12 -> Schema.createArray(type(namespace, depth + 1));
            case 13 -> Schema.createMap(type(namespace, depth + 1));
            case 14 -> {
                Schema branch = type(namespace, depth + 1);
                yield branch.getType() == Schema.Type.NULL || branch.getType() == Schema.Type.UNION ? branch
                        : Schema.createUnion(Schema.create(Schema.Type.NULL), branch);
            }
            default -> record(namespace, "R" + names++, depth);
        };
    }

    /** A value of {@code schema}. */
    Object value(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                schema.getFields().forEach(field -> record.put(field.pos(), value(field.schema())));
                yield record;
            }
            case NULL -> null;
            case BOOLEAN -> random.nextBoolean();
            case INT -> pick(new Integer[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}, random.nextInt());
            case LONG -> pick(new Long[] {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE}, random.nextLong());
            case FLOAT -> pick(new Float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
                    Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL}, Float.intBitsToFloat(random.nextInt()));
            case DOUBLE -> pick(new Double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                    Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL}, Double.longBitsToDouble(random.nextLong()));
            case BYTES -> ByteBuffer.wrap(schema.getLogicalType() instanceof LogicalTypes.Decimal decimal
                    ? unscaled(decimal.getPrecision()).toByteArray() : bytes(random.nextInt(40)));
            case FIXED -> new GenericData.Fixed(schema, schema.getLogicalType() != null
                    ? fixedDecimal(schema.getFixedSize()) : bytes(schema.getFixedSize()));
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case STRING -> string();
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(value(schema.getElementType()));
                }
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(string(), value(schema.getValueType()));
                }
                yield map;
            }
            case UNION -> random.nextInt(4) == 0 ? null : value(schema.getTypes().get(1));
        };
    }

    /** One of the edge cases half of the time, else {@code otherwise}. */
    private <T> T pick(T[] edges, T otherwise) {
        return random.nextBoolean() ? edges[random.nextInt(edges.length)] : otherwise;
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private BigInteger unscaled(int precision) {
        BigInteger bound = BigInteger.TEN.pow(precision);
        BigInteger magnitude = new BigInteger(bound.bitLength() + 8, random).mod(bound);
        return random.nextBoolean() ? magnitude.negate() : magnitude;
    }

    private byte[] fixedDecimal(int size) {
        return ByteBuffer.allocate(size).putLong(unscaled(18).longValueExact()).array();
    }

    /** Mostly short, once in a while a very long one (tens of thousands of characters); any code point class. */
    String string() {
        int length = random.nextInt(100) == 0 ? 20_000 + random.nextInt(20_000) : random.nextInt(12);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0 -> text.appendCodePoint(NASTY[random.nextInt(NASTY.length)]);
                case 1 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000)); // supplementary planes, as pairs
                case 2 -> text.appendCodePoint(0x0590 + random.nextInt(0x0100)); // Hebrew and Arabic: right to left
                case 3 -> text.appendCodePoint(0x0300 + random.nextInt(0x70)); // combining marks
                case 4 -> text.appendCodePoint(random.nextInt(0x20)); // C0 controls, NUL among them
                case 5 -> text.appendCodePoint(0x4E00 + random.nextInt(0x5000)); // CJK
                default -> text.append((char) (0x20 + random.nextInt(0x5F))); // printable ASCII
            }
        }
        if (random.nextInt(60) == 0) {
            // An unpaired surrogate, which UTF-8 (and so Avro) cannot carry: the client must refuse the event.
            text.insert(random.nextInt(text.length() + 1), (char) (0xD800 + random.nextInt(0x800)));
        }
        return text.toString();
    }
}
