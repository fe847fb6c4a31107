package dev.eventstore.launcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PersonalCodec;
import dev.eventstore.schemas.personal.Revealed;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;

/**
 * Shows an event with personal fields as its reader sees it: the index holds their ciphertext, so the
 * payload is decoded with the key store, the fields decrypted, or erased and listed under {@code erased}.
 */
final class RevealedView {

    private final EventDecoder decoder;

    RevealedView(SchemaRegistryClient registry, DataKeyStore keys) {
        this.decoder = new EventDecoder(registry, keys);
    }

    /** Whether the index's JSON of an event holds ciphertext (only then are the registry and the key store asked). */
    static boolean holdsCiphertext(RecordedEvent event) {
        return event.dataJson().map(PersonalCodec::mayHoldCiphertext).orElse(false);
    }

    void show(RecordedEvent event, ObjectNode line) {
        Revealed<GenericRecord> revealed = decoder.decodeRevealed(event);
        line.set("data", AvroJson.toJson(revealed.value(), revealed.value().getSchema()));
        ArrayNode erased = JsonNodeFactory.instance.arrayNode();
        revealed.erasedFields().forEach(erased::add);
        line.set("erased", erased);
    }
}
