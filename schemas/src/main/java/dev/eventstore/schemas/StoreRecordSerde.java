package dev.eventstore.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for the gate's internal records (StreamState, AppliedRequest: its state stores and their
 * changelogs, read by no one else) in Avro's single-object encoding: a two-byte marker, the schema's
 * 64-bit fingerprint, then Avro binary. The fingerprint lets a later version of the store read records of
 * the earlier versions it keeps in {@link StoreSchemaHistory} (and refuse clearly records it cannot read).
 * The protocol records that other clients read and write (AppendRequest, AppendResult) use the registry
 * wire format instead, {@link dev.eventstore.schemas.registry.StoreRecordCodec}.
 */
public final class StoreRecordSerde<T extends SpecificRecord> implements Serde<T> {

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private StoreRecordSerde(Schema schema) {
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
        // Records written with an earlier version of the schema still read, resolved to this one.
        StoreSchemaHistory.earlierVersionsOf(schema).forEach(decoder::addSchema);
    }

    public static <T extends SpecificRecord> StoreRecordSerde<T> of(Schema schema) {
        return new StoreRecordSerde<>(schema);
    }

    /** A schema of an earlier version of a store record ({@link StoreSchemaHistory}), e.g. {@code AppliedRequest-1.avsc}. */
    public static Schema earlierSchema(String resource) {
        try (var in = StoreRecordSerde.class.getResourceAsStream("/store-history/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource /store-history/" + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a record, or throws {@link SerializationException} saying why it cannot be read. */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new SerializationException("null value where a store record was expected");
        }
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a readable store record: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
