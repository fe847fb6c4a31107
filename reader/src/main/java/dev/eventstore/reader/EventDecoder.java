package dev.eventstore.reader;

import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PersonalCodec;
import dev.eventstore.schemas.personal.Revealed;
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
 * <p>With a key store, fields marked {@code "personal"} are decrypted with the key of the event's
 * {@linkplain RecordedEvent#dataSubject() data subject}, or erased when the subject was forgotten (null when
 * nullable, else the default, else empty); {@code decodeRevealed} says which were erased. Without one they
 * read as the ciphertext in the log.
 *
 * <p>Every method throws {@link MalformedPayloadException} when the payload does not decode, and with a key
 * store {@link dev.eventstore.schemas.personal.TamperedCiphertextException} when a personal value does not
 * authenticate, {@link dev.eventstore.schemas.personal.KeyStoreUnavailableException} (retryable) when the
 * key store cannot be reached.
 */
public final class EventDecoder {

    private final PersonalCodec codec;

    public EventDecoder(SchemaRegistryClient registry) {
        this(registry, null);
    }

    /** @param keys the key store personal fields are decrypted with, or null to read them as written */
    public EventDecoder(SchemaRegistryClient registry, DataKeyStore keys) {
        // Decoding needs no subject: the schema id travels in the payload.
        this.codec = new PersonalCodec(new EventCodec(registry, "", false), keys);
    }

    /** As written: a generic record of the writer's schema. */
    public GenericRecord decode(RecordedEvent event) {
        return decodeRevealed(event).value();
    }

    /** A generic record of the given reader schema. */
    public GenericRecord decode(RecordedEvent event, Schema readerSchema) {
        return codec.decode(event.payload(), event.dataSubject(), readerSchema).value();
    }

    /** An instance of a class generated from the reader schema. */
    public <T extends SpecificRecord> T decode(RecordedEvent event, Class<T> type) {
        return decodeRevealed(event, type).value();
    }

    /** As written, with the names of the personal fields erased because the subject was forgotten. */
    public Revealed<GenericRecord> decodeRevealed(RecordedEvent event) {
        return codec.decode(event.payload(), event.dataSubject());
    }

    /** As a generated class, with the names of the personal fields erased because the subject was forgotten. */
    public <T extends SpecificRecord> Revealed<T> decodeRevealed(RecordedEvent event, Class<T> type) {
        return codec.decode(event.payload(), event.dataSubject(), type);
    }
}
