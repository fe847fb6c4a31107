package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.RegisteredSchema;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.WireFormat;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The compatibility rule of the append protocol (docs/PROTOCOL.md) on the real registry: a reader
 * resolves the writer's schema, found by the id in the record, to its own, so a record of an older or
 * newer compatible version is read, and the registry refuses a change that would break a reader.
 */
class AppendProtocolCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryClient registry =
            new SchemaRegistryClient(SchemaRegistryConfig.of(LocalStack.shared().schemaRegistryUrl()));
    private final StoreTopics topics = new StoreTopics("compat" + UUID.randomUUID().toString().substring(0, 8));

    @Test
    void theGateRegistersBothSchemasUnderTheirTopicSubjectsWithFullTransitiveCompatibility() {
        AppendProtocol.registerSchemas(registry, topics);

        for (String subject : List.of(topics.appendRequests() + "-value", topics.appendResults() + "-value")) {
            assertThat(registry.compatibility(subject)).isEqualTo("FULL_TRANSITIVE");
        }
        RegisteredSchema request = registry.latest(AppendProtocol.requestsSubject(topics));
        assertThat(request.schema()).isEqualTo(AppendRequest.getClassSchema());
        assertThat(registry.latest(AppendProtocol.resultsSubject(topics)).schema()).isEqualTo(AppendResult.getClassSchema());
    }

    @Test
    void theRegistryRefusesARequestSchemaWithANewFieldWithoutADefault() {
        AppendProtocol.registerSchemas(registry, topics);

        Schema breaking = withField(AppendRequest.getClassSchema(), "tenant", "\"string\"", null);

        assertThat(registry.testCompatibility(AppendProtocol.requestsSubject(topics), breaking).compatible()).isFalse();
    }

    @Test
    void aRequestWrittenBeforeTheProtocolVersionFieldExistedIsReadAsVersionOne() throws IOException {
        Schema older = withoutField(AppendRequest.getClassSchema(), "protocolVersion");
        GenericRecord append = new GenericData.Record(older.getField("appends").schema().getElementType());
        append.put("requestId", UUID.randomUUID().toString());
        append.put("streamId", "Account-1");
        append.put("expectedKind", new GenericData.EnumSymbol(append.getSchema().getField("expectedKind").schema(), "ANY"));
        append.put("expectedVersion", 0L);
        append.put("events", List.of());
        GenericRecord request = new GenericData.Record(older);
        request.put("replyPartition", 3);
        request.put("sentAt", Instant.now().toEpochMilli());
        request.put("appends", List.of(append));
        int olderId = registry.register(AppendProtocol.requestsSubject(topics), older);

        AppendRequest read = AppendProtocol.requests(registry, topics).decode(WireFormat.frame(olderId, binary(request)));

        assertThat(read.getProtocolVersion()).isEqualTo(1);
        assertThat(read.getReplyPartition()).isEqualTo(3);
        assertThat(read.getAppends().get(0).getExpectedKind()).isEqualTo(ExpectedVersionKind.ANY);
    }

    @Test
    void aResultOfANewerVersionIsReadWithItsAddedFieldIgnoredAndAnOutcomeUnknownHereAsInvalid() throws IOException {
        Schema withSymbol = new Schema.Parser().parse(AppendResult.getClassSchema().toString()
                .replace("\"VERSION_OUT_OF_RANGE\"]", "\"VERSION_OUT_OF_RANGE\",\"POSTPONED\"]"));
        Schema newer = withField(withSymbol, "shard", "\"int\"", 0);
        GenericRecord result = new GenericData.Record(newer);
        result.put("requestId", "r-1");
        result.put("streamId", "Account-1");
        result.put("outcome", new GenericData.EnumSymbol(newer.getField("outcome").schema(), "POSTPONED"));
        result.put("firstVersion", 0L);
        result.put("lastVersion", 0L);
        result.put("actualVersion", 4L);
        result.put("error", "later");
        result.put("duplicate", false);
        result.put("shard", 7);
        int newerId = registry.register(AppendProtocol.resultsSubject(topics), newer);

        AppendResult read = AppendProtocol.results(registry, topics).decode(WireFormat.frame(newerId, binary(result)));

        assertThat(read.getOutcome()).isEqualTo(AppendOutcome.INVALID);
        assertThat(read.getActualVersion()).isEqualTo(4);
        assertThat(read.getError()).isEqualTo("later");
    }

    private static byte[] binary(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withoutField(Schema schema, String name) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema withField(Schema schema, String name, String type, Object defaultValue) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
            ObjectNode field = ((ArrayNode) json.get("fields")).addObject().put("name", name);
            field.set("type", JSON.readTree(type));
            if (defaultValue != null) {
                field.set("default", JSON.valueToTree(defaultValue));
            }
            return new Schema.Parser().parse(json.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
