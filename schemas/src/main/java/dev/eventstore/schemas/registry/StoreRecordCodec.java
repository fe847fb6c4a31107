package dev.eventstore.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * One of the store's protocol records (an append request or result) in the schema-registry wire
 * format, under one subject: what any registry-aware serializer in any language writes and reads.
 * Encoding registers this version's schema under the subject once (then cached); decoding fetches the
 * writer's schema by the id in the record (cached: ids never change meaning) and resolves it to this
 * version's, so records of an older or newer compatible version read with the defaults of fields the
 * writer did not know. Thread-safe.
 */
public final class StoreRecordCodec<T extends SpecificRecord> {

    private final SchemaRegistryClient registry;
    private final String subject;
    private final Schema schema;
    private final boolean autoRegister;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    private StoreRecordCodec(SchemaRegistryClient registry, String subject, Schema schema, boolean autoRegister) {
        this.registry = registry;
        this.subject = subject;
        this.schema = schema;
        this.autoRegister = autoRegister;
    }

    /** A codec that registers its schema on first use. */
    public static <T extends SpecificRecord> StoreRecordCodec<T> of(SchemaRegistryClient registry, String subject, Schema schema) {
        return new StoreRecordCodec<>(registry, subject, schema, true);
    }

    /** The same codec, looking its schema up instead (for clients not allowed to register schemas). */
    public StoreRecordCodec<T> lookingUpOnly() {
        return new StoreRecordCodec<>(registry, subject, schema, false);
    }

    public String subject() {
        return subject;
    }

    /** Registers this version's schema under the subject (or finds it there) and returns its id. */
    public int register() {
        return registry.register(subject, schema);
    }

    /**
     * @throws SchemaRegistryException when the registry refuses the schema (or, looking up only, does not
     *     hold it under the subject) or cannot be reached
     */
    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<T>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return WireFormat.frame(autoRegister ? register() : registry.lookUp(subject, schema), out.toByteArray());
    }

    /**
     * Reads a record written with any schema the registry knows that resolves to this version's.
     *
     * @throws MalformedPayloadException when the bytes are not framed, name a schema id the registry does
     *     not know, or do not decode (as their writer's schema resolved to this version's)
     * @throws SchemaRegistryException when the registry cannot be reached: the record may be fine
     */
    public T decode(byte[] framed) {
        int writerId = WireFormat.schemaId(framed);
        DatumReader<T> reader = readersByWriterId.computeIfAbsent(writerId,
                id -> new SpecificDatumReader<>(writerSchema(id), schema, SpecificData.get()));
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE,
                    framed.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException("record with schema id " + writerId + " does not decode as "
                    + schema.getFullName() + ": " + e, e);
        }
    }

    private Schema writerSchema(int id) {
        try {
            return registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new MalformedPayloadException("schema id " + id + " is unknown to the registry", e);
            }
            throw e;
        }
    }
}
