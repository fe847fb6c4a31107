package dev.eventstore.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes domain events to, and decodes them from, the schema-registry wire format for one topic.
 * Subjects follow the {@code TopicRecordNameStrategy}: {@code <topic>-<record full name>}.
 *
 * <p>With auto-registration a new schema is registered on first use and the registry applies the
 * subject's compatibility rule; without it the schema must already be registered. Either way a schema
 * the registry refuses fails {@link #encode} with the registry's reason, before anything is written.
 */
public final class EventCodec {

    private final SchemaRegistryClient registry;
    private final String topic;
    private final boolean autoRegister;
    private final Map<ReaderKey, DatumReader<?>> readers = new ConcurrentHashMap<>();

    public EventCodec(SchemaRegistryClient registry, String topic, boolean autoRegister) {
        this.registry = registry;
        this.topic = topic;
        this.autoRegister = autoRegister;
    }

    public static String subject(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    /** The wire-format bytes of a record (specific or generic). */
    public byte[] encode(GenericContainer record) {
        Schema schema = record.getSchema();
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("an event must be an Avro record, not " + schema.getType());
        }
        String subject = subject(topic, schema);
        int id = autoRegister ? registry.register(subject, schema) : registry.lookUp(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new StrictStringWriter(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("event does not conform to its schema " + schema.getFullName() + ": " + e.getMessage(), e);
        }
        return WireFormat.frame(id, out.toByteArray());
    }

    /** Decodes with the writer's own schema. */
    public GenericRecord decode(byte[] framed) {
        Schema writer = registry.schemaById(WireFormat.schemaId(framed));
        return decode(framed, writer, writer, false);
    }

    /** Decodes into a reader schema, resolving the writer's schema to it (Avro schema resolution). */
    public GenericRecord decode(byte[] framed, Schema readerSchema) {
        Schema writer = registry.schemaById(WireFormat.schemaId(framed));
        return decode(framed, writer, readerSchema, false);
    }

    /** Decodes into a generated class, resolving the writer's schema to the class's schema. */
    public <T extends SpecificRecord> T decode(byte[] framed, Class<T> type) {
        Schema writer = registry.schemaById(WireFormat.schemaId(framed));
        return type.cast(decode(framed, writer, SpecificData.get().getSchema(type), true));
    }

    @SuppressWarnings("unchecked")
    private <T> T decode(byte[] framed, Schema writer, Schema reader, boolean specific) {
        ReaderKey key = new ReaderKey(writer, reader, specific);
        DatumReader<T> datumReader = (DatumReader<T>) readers.computeIfAbsent(key,
                k -> specific ? new SpecificDatumReader<>(writer, reader) : new GenericDatumReader<>(writer, reader));
        try {
            return datumReader.read(null, DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE,
                    framed.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException("payload does not decode with schema id " + WireFormat.schemaId(framed)
                    + " as " + reader.getFullName() + ": " + e.getMessage(), e);
        }
    }

    private record ReaderKey(Schema writer, Schema reader, boolean specific) {}

    /** Refuses a string UTF-8 cannot carry instead of letting the encoder replace its characters. */
    private static final class StrictStringWriter extends SpecificDatumWriter<Object> {
        StrictStringWriter(Schema schema) {
            super(schema);
        }

        @Override
        protected void writeString(Object datum, Encoder out) throws IOException {
            Utf8Strings.requireEncodable(datum); // map keys and string values both come through here
            super.writeString(datum, out);
        }
    }
}
