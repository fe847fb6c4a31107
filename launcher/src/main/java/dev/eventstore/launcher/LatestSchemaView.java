package dev.eventstore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.WireFormat;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** Renders an event's data in the latest schema of its subject, resolving the schema it was written with. */
final class LatestSchemaView {

    private final SchemaRegistryClient registry;
    private final EventDecoder decoder;
    private final Map<String, Schema> latestBySubject = new HashMap<>();

    LatestSchemaView(String schemaRegistryUrl, dev.eventstore.schemas.personal.DataKeyStore keys) {
        this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(schemaRegistryUrl));
        this.decoder = new EventDecoder(registry, keys);
    }

    JsonNode data(RecordedEvent event) {
        Schema writer = registry.schemaById(WireFormat.schemaId(event.payload()));
        String subject = EventCodec.subject(StoreTopics.defaults().events(), writer);
        Schema latest = latestBySubject.computeIfAbsent(subject, s -> registry.latest(s).schema());
        return AvroJson.toJson(decoder.decode(event, latest), latest);
    }
}
