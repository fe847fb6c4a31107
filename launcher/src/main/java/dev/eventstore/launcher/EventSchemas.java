package dev.eventstore.launcher;

import dev.eventstore.schemas.registry.SchemaRegistryClient;
import java.util.List;
import org.apache.avro.Schema;

/** Finds an event type's schema among the events topic's subjects ({@code <topic>-<record full name>}). */
final class EventSchemas {

    private final SchemaRegistryClient registry;
    private final String topic;

    EventSchemas(SchemaRegistryClient registry, String topic) {
        this.registry = registry;
        this.topic = topic;
    }

    /** The latest schema whose record name (simple or full) is {@code type}. */
    Schema latestFor(String type) {
        String prefix = topic + "-";
        List<String> matches = registry.subjects().stream()
                .filter(subject -> subject.startsWith(prefix))
                .filter(subject -> {
                    String recordName = subject.substring(prefix.length());
                    return recordName.equals(type) || recordName.endsWith("." + type);
                })
                .toList();
        if (matches.isEmpty()) {
            throw new UsageException("no schema registered for event type '" + type + "' (subjects " + prefix + "*);"
                    + " pass --schema FILE.avsc");
        }
        if (matches.size() > 1) {
            throw new UsageException("event type '" + type + "' is ambiguous: " + matches + "; pass --type with the full name");
        }
        return registry.latest(matches.get(0)).schema();
    }
}
