package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.EnvelopeHeaders;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * Which events a subscription hands to its handler, judged on the envelope headers alone: a skipped
 * record is never decoded. Within a dimension any listed value matches; across dimensions all must
 * (an empty set places no condition). Skipped events still advance the group's offsets.
 */
public record EventFilter(Set<String> categories, Set<String> eventTypes, Set<String> streams) {

    public EventFilter {
        categories = Set.copyOf(categories);
        eventTypes = Set.copyOf(eventTypes);
        streams = Set.copyOf(streams);
    }

    public static EventFilter all() {
        return new EventFilter(Set.of(), Set.of(), Set.of());
    }

    /** Events of streams whose id starts with one of the categories followed by {@code -}. */
    public static EventFilter categories(String... categories) {
        return all().withCategories(categories);
    }

    public static EventFilter eventTypes(String... eventTypes) {
        return all().withEventTypes(eventTypes);
    }

    public static EventFilter streams(String... streamIds) {
        return new EventFilter(Set.of(), Set.of(), Set.of(streamIds));
    }

    public EventFilter withCategories(String... categories) {
        return new EventFilter(Set.of(categories), eventTypes, streams);
    }

    public EventFilter withEventTypes(String... eventTypes) {
        return new EventFilter(categories, Set.of(eventTypes), streams);
    }

    /** Places no condition at all. */
    public boolean isAll() {
        return categories.isEmpty() && eventTypes.isEmpty() && streams.isEmpty();
    }

    /**
     * Whether the record passes. A record without an envelope is no event of the store: only a
     * subscription to everything takes it (and parks it as unreadable); a narrower one cannot tell
     * whether it matches and skips it (the indexer parks it in any case).
     */
    boolean matches(Headers headers) {
        Optional<String> stream = EnvelopeHeaders.get(headers, EnvelopeHeaders.STREAM);
        if (stream.isEmpty()) {
            return isAll();
        }
        if (!streams.isEmpty() && !streams.contains(stream.get())) {
            return false;
        }
        if (!categories.isEmpty() && !categories.contains(EnvelopeHeaders.category(stream.get()))) {
            return false;
        }
        return eventTypes.isEmpty() || EnvelopeHeaders.get(headers, EnvelopeHeaders.TYPE).map(eventTypes::contains).orElse(true);
    }
}
