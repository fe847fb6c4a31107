package dev.eventstore.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.query.Selection;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reads a stream, $all, a category or an event type from the PostgreSQL index, one JSON line per event. */
@Command(name = "read", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_LINE,
                Main.STREAM_DELETED_LINE},
        description = "Read a stream, $all, a category or an event type from the index, one JSON line per event"
                + " (an unknown stream reads as empty). Personal fields are decrypted with the key store; a forgotten"
                + " subject's are erased and named in \"erased\".")
final class ReadCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--stream", description = "a stream, by version")
        String stream;

        @Option(names = "--all", description = "$all, by global position")
        boolean all;

        @Option(names = "--category", description = "a category (stream id prefix before the first '-'), by global position")
        String category;

        @Option(names = "--type", description = "an event type, by global position")
        String type;
    }

    @Option(names = "--from", description = "first version (stream) or global position to read"
            + " (default: the first forward, the last backward)")
    Long from;

    @Option(names = "--backward", description = "read from the newest event down")
    boolean backward;

    @Option(names = "--limit", defaultValue = "1000", description = "most events to print (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--latest-schema", description = "show each event's data in the latest schema registered for its"
            + " type (older events in today's shape: added fields take their defaults)")
    boolean latestSchema;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws IOException {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        StoreSettings store = settings.settings();
        ServerChecks checks = ServerChecks.once(store);
        checks.postgres();
        if (latestSchema) {
            checks.registry();
        }
        long start = from != null ? from : backward ? Long.MAX_VALUE : 1;
        ReadDirection direction = backward ? ReadDirection.BACKWARD : ReadDirection.FORWARD;
        try (EventReader reader = store.eventReader()) {
            List<RecordedEvent> events = what.stream != null ? reader.readStream(what.stream, start, direction, limit)
                    : reader.readAll(selection(), start, direction, limit);
            LatestSchemaView latest = latestSchema ? new LatestSchemaView(store.addresses().schemaRegistryUrl(), store.keyStore()) : null;
            RevealedView personal = null;
            for (RecordedEvent event : events) {
                ObjectNode line = toJson(event);
                if (RevealedView.holdsCiphertext(event)) {
                    if (personal == null) {
                        checks.registry();
                        personal = new RevealedView(new SchemaRegistryClient(store.schemaRegistry()), store.keyStore());
                    }
                    personal.show(event, line);
                }
                if (latest != null) {
                    line.set("data", latest.data(event));
                }
                System.out.println(JSON.writeValueAsString(line));
            }
        }
        return 0;
    }

    private Selection selection() {
        return what.category != null ? Selection.category(what.category)
                : what.type != null ? Selection.eventType(what.type) : Selection.all();
    }

    static ObjectNode toJson(RecordedEvent event) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("stream", event.streamId());
        line.put("version", event.version());
        line.put("type", event.eventType());
        line.put("eventId", event.eventId().toString());
        line.set("data", event.dataJson().isPresent() ? JSON.readTree(event.dataJson().get()) : JSON.nullNode());
        line.set("metadata", JSON.valueToTree(event.metadata()));
        line.put("correlationId", event.correlationId().orElse(null));
        line.put("causationId", event.causationId().orElse(null));
        line.put("recordedAt", event.recordedAt().toString());
        event.globalPosition().ifPresent(position -> line.put("globalPosition", position));
        line.put("partition", event.logPosition().partition());
        line.put("offset", event.logPosition().offset());
        // Only when the index holds a form other than as written: why (README, "What the index cannot hold").
        event.degraded().ifPresent(why -> line.put("degraded", why));
        return line;
    }
}
