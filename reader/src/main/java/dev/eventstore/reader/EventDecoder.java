package dev.eventstore.reader;

import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes the payload of a {@link RecordedEvent}: the writer's schema comes from the registry by the id
 * in the payload (cached after the first use), and is resolved to the reader's schema, so events written
 * with an older schema read as the newer one (a field added with a default takes its default).
 *
 * <p>Every method throws {@link MalformedPayloadException} when the payload does not decode.
 */
public final class EventDecoder {

    private final EventCodec codec;

    public EventDecoder(SchemaRegistryClient registry) {
        // Decoding needs no subject: the schema id travels in the payload.
        this.codec = new EventCodec(registry, "", false);
    }

    /** As written: a generic record of the writer's schema. */
    public GenericRecord decode(RecordedEvent event) {
        return codec.decode(event.payload());
    }

    /** A generic record of the given reader schema. */
    public GenericRecord decode(RecordedEvent event, Schema readerSchema) {
        return codec.decode(event.payload(), readerSchema);
    }

    /** An instance of a class generated from the reader schema. */
    public <T extends SpecificRecord> T decode(RecordedEvent event, Class<T> type) {
        return codec.decode(event.payload(), type);
    }
}
