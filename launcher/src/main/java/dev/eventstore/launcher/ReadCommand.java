package dev.eventstore.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.IndexDatabase;
import dev.eventstore.reader.query.ReadDirection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads a stream from the PostgreSQL index, one JSON line per event. */
@Command(name = "read", mixinStandardHelpOptions = true, description = "Read a stream from the index, one JSON line per event.")
final class ReadCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--stream", required = true, description = "stream id")
    String stream;

    @Option(names = "--from", description = "first version to read (default: 1 forward, the last backward)")
    Long from;

    @Option(names = "--backward", description = "read from the newest event down")
    boolean backward;

    @Option(names = "--limit", defaultValue = "1000", description = "most events to print (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--connection", description = "addresses file written by 'local' (default: ~/.eventstore/local.properties)")
    Path connection;

    @Override
    public Integer call() throws IOException {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        StoreAddresses addresses = StoreAddresses.read(connection != null ? connection : StoreAddresses.defaultFile());
        EventReader reader = new EventReader(new IndexDatabase(addresses.jdbcUrl(), addresses.jdbcUser(),
                addresses.jdbcPassword(), StoreAddresses.INDEX_SCHEMA));
        long start = from != null ? from : backward ? Long.MAX_VALUE : 1;
        for (RecordedEvent event : reader.readStream(stream, start, backward ? ReadDirection.BACKWARD : ReadDirection.FORWARD, limit)) {
            System.out.println(JSON.writeValueAsString(toJson(event)));
        }
        return 0;
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
        return line;
    }
}
