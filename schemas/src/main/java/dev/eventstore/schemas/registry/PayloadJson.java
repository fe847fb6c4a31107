package dev.eventstore.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * A payload's JSON as the index's {@code data} column (jsonb) gives it, rendered from the payload with its
 * writer's schema from the registry: for readers of an index that keeps no JSON form of the payloads (the
 * default), so that they return the same text as when it does.
 */
public final class PayloadJson {

    private final EventCodec codec;

    public PayloadJson(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * The JSON, or empty where the index's column is null too: the payload does not decode, its schema is
     * gone from the registry, a value has no JSON form, or a string holds U+0000.
     *
     * @throws SchemaRegistryException when the registry cannot be asked (retryable)
     */
    public Optional<String> render(byte[] payload) {
        try {
            GenericRecord data = codec.decode(payload);
            JsonNode json = AvroJson.toJson(data, data.getSchema());
            return JsonbText.of(json);
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
