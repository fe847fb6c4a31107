package dev.eventstore.writer.api;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.generic.GenericContainer;

/**
 * An event to append: an Avro record (generated or generic), its type, its id and free-form metadata.
 *
 * @param eventId identifies the event; the events of one append must have distinct ids (a reuse in
 *                another append is not detected: the log and the index then hold both events)
 * @param type the event type, by default the Avro record's simple name (e.g. {@code MoneyDeposited})
 * @param data the payload, encoded in the registry wire format under the record's subject
 * @param metadata carried as Kafka headers; names starting with {@code es.} are reserved
 */
public record NewEvent(UUID eventId, String type, GenericContainer data, Map<String, String> metadata) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** An event with a fresh time-ordered id ({@link EventIds}), typed by the record's simple name, without metadata. */
    public static NewEvent of(GenericContainer data) {
        return new NewEvent(EventIds.next(), data.getSchema().getName(), data, Map.of());
    }

    public NewEvent withMetadata(Map<String, String> metadata) {
        return new NewEvent(eventId, type, data, metadata);
    }

    public NewEvent withEventId(UUID eventId) {
        return new NewEvent(eventId, type, data, metadata);
    }

    public NewEvent withType(String type) {
        return new NewEvent(eventId, type, data, metadata);
    }
}
