package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventstore.local.LocalStack;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.InvalidAppendException;
import dev.eventstore.writer.api.NewEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, as properties over random payloads (see {@link RandomPayloads}) sent through the client, the gate
 * and the indexer of the embedded stack: every event the client accepts is indexed, {@link EventReader} returns
 * the exact bytes appended, and the JSON form, where present, is valid JSON that reads back to the same value;
 * where absent the row says why. A value UTF-8 cannot carry (an unpaired surrogate) is refused by the client
 * and nothing is appended.
 *
 * <p>The seed is fixed, so {@code mvn verify} checks the same payloads each time. To look further:
 * {@code -Dpayload.tries=10000 -Dpayload.seed=N} (the seed of a failing run is in its message).
 */
class PayloadPropertiesTest {

    private static final long SEED = Long.getLong("payload.seed", 22L);
    private static final int TRIES = Integer.getInteger("payload.tries", 300);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @TempDir
    static Path stateDir;

    @Test
    void everyRandomPayloadIsIndexedWithItsExactBytesAndAJsonFormThatReadsBackOrIsFlagged() throws Exception {
        LocalStack stack = LocalStack.shared();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StoreTopics topics = new StoreTopics("pp" + run);
        String indexSchema = "pp_" + run;
        RandomPayloads payloads = new RandomPayloads(SEED);
        List<Schema> schemas = new ArrayList<>();
        for (int i = 0; i < Math.max(1, TRIES / 10); i++) {
            schemas.add(payloads.schema("prop.s" + SEED, "P" + i));
        }
        EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())), topics.events(), true);
        List<Sent> sent = new ArrayList<>();
        int refused = 0;
        try (StoreServices services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(),
                stack.jdbcPassword(), stack.schemaRegistryUrl(), topics, stateDir, indexSchema, true);
             AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                     .withTopics(topics))) {
            // When each random value is appended to a stream of its own, all in flight at once
            List<CompletableFuture<AppendResult>> results = new ArrayList<>();
            for (int i = 0; i < TRIES; i++) {
                Schema schema = schemas.get(i % schemas.size());
                GenericRecord value = (GenericRecord) payloads.value(schema);
                String stream = "Payload-" + i;
                results.add(client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(value))));
                sent.add(new Sent(stream, schema, value));
            }
            // Then the client refuses exactly the values UTF-8 cannot carry, and accepts every other one
            for (int i = 0; i < TRIES; i++) {
                Sent event = sent.get(i);
                boolean carriable = strings(event.value, event.schema).stream().allMatch(PayloadPropertiesTest::pairedSurrogates);
                try {
                    assertThat(results.get(i).get().lastVersion()).isEqualTo(1);
                    assertThat(carriable).as(describe(event, "accepted though it holds an unpaired surrogate")).isTrue();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as(describe(event, "refused")).isInstanceOf(InvalidAppendException.class);
                    if (e.getCause().getMessage().contains("more than the limit of")) {
                        event.refused = true; // a rare draw of several very long strings: too large for one request
                        continue;
                    }
                    assertThat(e.getCause()).as(describe(event, "refused"))
                            .hasMessageContaining("unpaired UTF-16 surrogate");
                    assertThat(carriable).as(describe(event, "refused though UTF-8 carries it")).isFalse();
                    event.refused = true;
                    refused++;
                }
            }
            if (TRIES >= 100) { // about one value in twenty draws an unpaired surrogate: a run this long sees some
                assertThat(refused).as("the seed draws a few unpaired surrogates, not only those").isBetween(1, TRIES / 3);
            }

            // And every accepted event is in the index with its exact bytes and a faithful JSON form or a reason, the very
            // text a reader renders from the payload when the index keeps no JSON (the default)
            PayloadJson render = new PayloadJson(codec);
            try (EventReader reader = new EventReader(new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), indexSchema));
                 Connection connection = stack.connectToDatabase();
                 PreparedStatement rowOf = connection.prepareStatement("SELECT data::text, degraded FROM " + indexSchema
                         + ".events WHERE stream_id = ? AND version = 1")) {
                for (Sent event : sent) {
                    if (event.refused) {
                        assertThat(reader.streamInfo(event.stream)).as(describe(event, "refused, yet in the index")).isEmpty();
                        continue;
                    }
                    reader.awaitVersion(event.stream, 1, WAIT);
                    RecordedEvent read = reader.readStream(event.stream, 1, ReadDirection.FORWARD, 1).get(0);
                    assertThat(read.payload()).as(describe(event, "bytes read back")).isEqualTo(codec.encode(event.value));
                    rowOf.setString(1, event.stream);
                    try (ResultSet row = rowOf.executeQuery()) {
                        assertThat(row.next()).isTrue();
                        assertFaithfulOrFlagged(event, row.getString(1), row.getString(2));
                        assertThat(render.render(read.payload())).as(describe(event, "JSON rendered from the payload"))
                                .isEqualTo(Optional.ofNullable(row.getString(1)));
                    }
                }
            }
        }
    }

    private static void assertFaithfulOrFlagged(Sent event, String data, String degraded) throws Exception {
        boolean holdsNul = strings(event.value, event.schema).stream().anyMatch(text -> text.indexOf('\0') >= 0);
        if (holdsNul) {
            assertThat(data).as(describe(event, "JSON form of a value holding U+0000")).isNull();
            assertThat(degraded).as(describe(event, "reason")).contains("holds U+0000, which jsonb cannot store");
            return;
        }
        assertThat(degraded).as(describe(event, "reason")).isNull();
        assertThat(data).as(describe(event, "JSON form")).isNotNull();
        GenericRecord back = AvroJson.toRecord(JSON.readTree(data), event.schema);
        assertThat(back).as(describe(event, "JSON form " + abbreviated(data) + " read back")).isEqualTo(event.value);
    }

    /** Every string of a value, map keys included. */
    private static List<String> strings(Object value, Schema schema) {
        List<String> found = new ArrayList<>();
        walk(value, schema, found::add);
        return found;
    }

    private static void walk(Object value, Schema schema, Consumer<String> strings) {
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(f -> walk(((GenericRecord) value).get(f.pos()), f.schema(), strings));
            case ARRAY -> ((Collection<?>) value).forEach(item -> walk(item, schema.getElementType(), strings));
            case MAP -> ((Map<?, ?>) value).forEach((key, item) -> {
                strings.accept(key.toString());
                walk(item, schema.getValueType(), strings);
            });
            case UNION -> {
                if (value != null) {
                    walk(value, schema.getTypes().get(1), strings);
                }
            }
            case STRING -> strings.accept(value.toString());
            default -> { }
        }
    }

    private static boolean pairedSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Sent event, String what) {
        return "seed " + SEED + ", " + event.stream + " (" + event.schema + "): " + what;
    }

    private static String abbreviated(String text) {
        return text.length() > 2_000 ? text.substring(0, 2_000) + "…" : text;
    }

    private static final class Sent {
        final String stream;
        final Schema schema;
        final GenericRecord value;
        boolean refused;

        Sent(String stream, Schema schema, GenericRecord value) {
            this.stream = stream;
            this.schema = schema;
            this.value = value;
        }
    }
}
