package dev.eventstore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Appends one event, its JSON converted with the event type's Avro schema. */
@Command(name = "append", mixinStandardHelpOptions = true,
        description = "Append one event to a stream of the running store; prints the version it got.")
final class AppendCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--stream", required = true, description = "stream id, e.g. Account-42")
    String stream;

    @Option(names = "--type", required = true, description = "event type, e.g. MoneyDeposited")
    String type;

    @Option(names = "--expected", defaultValue = "any", description = "any | no-stream | exists | N (default: ${DEFAULT-VALUE})")
    String expected;

    @Option(names = "--schema", description = "Avro schema file (.avsc) of the event, registered on the way;"
            + " default: the latest schema registered for the type")
    Path schemaFile;

    @Option(names = "--data", required = true, description = "the event as JSON")
    String data;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws Exception {
        ExpectedVersion expectedVersion = ExpectedVersion.parse(expected);
        StoreAddresses addresses = settings.addresses();
        StoreTopics topics = StoreTopics.defaults();
        Schema schema = schemaFile != null ? parse(schemaFile)
                : new EventSchemas(new SchemaRegistryClient(SchemaRegistryConfig.of(addresses.schemaRegistryUrl())), topics.events())
                        .latestFor(type);
        GenericRecord record = AvroJson.toRecord(readJson(data), schema);
        try (AppendClient client = AppendClient.create(
                AppendClientConfig.of(addresses.bootstrapServers(), addresses.schemaRegistryUrl()).withTopics(topics))) {
            AppendResult result = client.append(stream, expectedVersion, List.of(NewEvent.of(record).withType(type))).get();
            System.out.println(result.lastVersion());
        }
        return 0;
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UsageException("--data is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException | SchemaParseException e) {
            throw new UsageException("cannot read Avro schema " + file + ": " + e.getMessage());
        }
    }
}
