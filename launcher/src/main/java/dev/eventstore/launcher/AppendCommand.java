package dev.eventstore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Appends one event, its JSON converted with the event type's Avro schema. */
@Command(name = "append", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.CONFLICT_LINE, Main.OUTCOME_UNKNOWN_LINE, Main.UNREACHABLE_LINE},
        description = "Append one event to a stream of the running store; prints the version it got.")
final class AppendCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, description = "stream id, e.g. Account-42")
    String stream;

    @Option(names = "--type", required = true, description = "event type: the record name of its schema (simple or full),"
            + " e.g. MoneyDeposited")
    String type;

    @Option(names = "--expected", defaultValue = "any", description = "any | no-stream | exists | N (default: ${DEFAULT-VALUE})")
    String expected;

    @Option(names = "--schema", description = "Avro schema file (.avsc) of the event, registered on the way;"
            + " default: the latest schema registered for the type")
    Path schemaFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Data data;

    /** Where the event's JSON comes from: an argument is limited by the shell (~128 KB), a file or stdin is not. */
    static final class Data {
        @Option(names = "--data", paramLabel = "JSON", description = "the event as JSON; - reads it from stdin")
        String inline;

        @Option(names = "--data-file", paramLabel = "FILE", description = "read the event's JSON from FILE (- : stdin)")
        Path file;

        String read() {
            try {
                if ("-".equals(inline) || file != null && file.toString().equals("-")) {
                    return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return file != null ? Files.readString(file) : inline;
            } catch (IOException e) {
                throw new UsageException("cannot read the event's JSON from " + (file != null ? file : "stdin") + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : Failures.oneLine(e)));
            }
        }
    }

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before any server is asked.
        ExpectedVersion expectedVersion = ExpectedVersion.parse(expected);
        AppendLimits limits = AppendLimits.defaults();
        limits.problemWithStreamId(stream).or(() -> limits.problemWithEventType(type)).ifPresent(problem -> {
            throw new UsageException(problem);
        });
        JsonNode json = StrictJson.read("--data", data.read());
        Schema fileSchema = schemaFile == null ? null : requireMatchingType(SchemaFiles.parse(schemaFile));
        StoreSettings store = settings.settings();
        StoreTopics topics = store.topics();
        ServerChecks checks = ServerChecks.once(store);
        checks.registry();
        try (Admin admin = store.admin()) {
            checks.kafka(admin);
        }
        Schema schema = fileSchema != null ? fileSchema
                : new EventSchemas(new SchemaRegistryClient(store.schemaRegistry()), topics.events()).latestFor(type);
        GenericRecord record = AvroJson.toRecord(json, schema);
        try (AppendClient client = AppendClient.create(
                AppendClientConfig.of(store.bootstrapServers(), store.required("schema.registry.url")).withTopics(topics)
                        .withKafkaProperties(store.kafkaProperties()))) {
            AppendResult result = client.append(stream, expectedVersion, List.of(NewEvent.of(record).withType(type))).get();
            System.out.println(result.lastVersion());
        }
        return 0;
    }

    /**
     * The event type names the schema's record, by its simple or full name, as it does when the schema is
     * looked up in the registry: a type that names another record would file events of one shape under the
     * name of another.
     */
    private Schema requireMatchingType(Schema schema) {
        if (!type.equals(schema.getName()) && !type.equals(schema.getFullName())) {
            throw new UsageException("--type " + type + " does not match the record name of " + schemaFile + " ("
                    + schema.getFullName() + "): the event type is the record's name, simple or full");
        }
        return schema;
    }
}
