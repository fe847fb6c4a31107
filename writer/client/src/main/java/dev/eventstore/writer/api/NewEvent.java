package dev.eventstore.writer.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.generic.GenericContainer;

/**
 * An event to append: an Avro record (generated or generic), its type, its id and free-form metadata.
 *
 * @param eventId identifies the event; the events of one append must have distinct ids (a reuse in
 *                another append is not detected: the log and the index then hold both events)
 * @param type the event type, by default the Avro record's simple name (e.g. {@code MoneyDeposited})
 * @param data the payload, encoded in the registry wire format under the record's subject; its fields
 *             marked {@code "personal": true} are encrypted with the data subject's key before anything is sent
 * @param metadata carried as Kafka headers; names starting with {@code es.} are reserved
 * @param dataSubject whose personal data the event holds (the key its personal fields are encrypted with);
 *             empty: the stream id. Carried in clear in the header {@code es.subject}
 */
public record NewEvent(UUID eventId, String type, GenericContainer data, Map<String, String> metadata,
                       Optional<String> dataSubject) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(dataSubject, "dataSubject");
    }

    /** An event whose data subject is its stream. */
    public NewEvent(UUID eventId, String type, GenericContainer data, Map<String, String> metadata) {
        this(eventId, type, data, metadata, Optional.empty());
    }

    /** An event with a fresh time-ordered id ({@link EventIds}), typed by the record's simple name, without metadata. */
    public static NewEvent of(GenericContainer data) {
        return new NewEvent(EventIds.next(), data.getSchema().getName(), data, Map.of());
    }

    public NewEvent withMetadata(Map<String, String> metadata) {
        return new NewEvent(eventId, type, data, metadata, dataSubject);
    }

    public NewEvent withEventId(UUID eventId) {
        return new NewEvent(eventId, type, data, metadata, dataSubject);
    }

    public NewEvent withType(String type) {
        return new NewEvent(eventId, type, data, metadata, dataSubject);
    }

    /**
     * Names the data subject (a customer id, say) whose key encrypts this event's personal fields, so that
     * {@code forget(subject)} erases them in every stream. Not encrypted: never put personal data in it.
     */
    public NewEvent withDataSubject(String subject) {
        return new NewEvent(eventId, type, data, metadata, Optional.of(Objects.requireNonNull(subject, "subject")));
    }

    /** The subject whose key encrypts the personal fields: the named one, else the stream. */
    String subjectIn(String streamId) {
        return dataSubject.orElse(streamId);
    }
}
