package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compatibility enforced at append, against the embedded stack's real registry. */
class SchemaEnforcementTest {

    @TempDir
    static Path stateDir;
    private static BrokerGate store;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void start() {
        store = BrokerGate.start(stateDir);
        registry = new SchemaRegistryClient(SchemaRegistryConfig.of(store.stack.schemaRegistryUrl()));
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    /** A record type of its own per test, so subjects start empty. */
    private static String uniqueName() {
        return "dev.test.t" + UUID.randomUUID().toString().replace("-", "") + ".ThingHappened";
    }

    private static Schema v1(String fullName) {
        return SchemaBuilder.record(fullName).fields().requiredString("id").endRecord();
    }

    private static Schema v2WithDefault(String fullName) {
        return SchemaBuilder.record(fullName).fields().requiredString("id")
                .name("note").type().stringType().stringDefault("none").endRecord();
    }

    /** Changes the type of a field: no reader of v1 data can read it. */
    private static Schema incompatible(String fullName) {
        return SchemaBuilder.record(fullName).fields().requiredInt("id").endRecord();
    }

    private static GenericRecord event(Schema schema, Object id) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", id);
        schema.getFields().stream().filter(f -> f.name().equals("note")).forEach(f -> record.put("note", "hello"));
        return record;
    }

    private static CompletableFuture<AppendResult> append(AppendClient client, String stream, ExpectedVersion expected,
                                                          GenericRecord data) {
        return client.append(stream, expected, List.of(NewEvent.of(data).withType("ThingHappened")));
    }

    private static Throwable failureOf(CompletableFuture<AppendResult> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the append succeeded");
    }

    private static String subject(String fullName) {
        return store.topics.events() + "-" + fullName;
    }

    @Test
    void aCompatibleEvolutionIsAcceptedAndTheSubjectKeepsBothVersions() throws Exception {
        String name = uniqueName();
        String stream = "Thing-evolve";
        assertThat(append(store.client, stream, ExpectedVersion.noStream(), event(v1(name), "a")).get(30, TimeUnit.SECONDS).lastVersion())
                .isEqualTo(1);
        assertThat(append(store.client, stream, ExpectedVersion.exactly(1), event(v2WithDefault(name), "b")).get(30, TimeUnit.SECONDS)
                .lastVersion()).isEqualTo(2);

        assertThat(registry.latest(subject(name)).version()).isEqualTo(2);
        assertThat(registry.latest(subject(name)).schema()).isEqualTo(v2WithDefault(name));
        assertThat(registry.globalCompatibility()).isEqualTo("BACKWARD");
        assertThat(registry.testCompatibility(subject(name), v2WithDefault(name)).compatible()).isTrue();
        var verdict = registry.testCompatibility(subject(name), incompatible(name));
        assertThat(verdict.compatible()).isFalse();
        assertThat(verdict.messages()).isNotEmpty();
        assertThat(store.versionsInLog(stream, 2)).containsExactly(1L, 2L);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithTheRegistrysReasonAndNothingIsAppended() throws Exception {
        String name = uniqueName();
        String stream = "Thing-incompatible";
        append(store.client, stream, ExpectedVersion.noStream(), event(v1(name), "a")).get(30, TimeUnit.SECONDS);

        Throwable refused = failureOf(append(store.client, stream, ExpectedVersion.exactly(1), event(incompatible(name), 7)));
        assertThat(refused).isInstanceOf(InvalidAppendException.class).hasMessageContaining("ThingHappened")
                .hasMessageContaining("HTTP 409");
        assertThat(refused.getCause()).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.isIncompatible()).isTrue());
        // Nothing partial: the stream is still at version 1, and the next right append gets version 2.
        assertThat(store.versionsInLog(stream, 1)).containsExactly(1L);
        assertThat(append(store.client, stream, ExpectedVersion.exactly(1), event(v1(name), "b")).get(30, TimeUnit.SECONDS)
                .lastVersion()).isEqualTo(2);

        // Compatibility is per subject: a new required field breaks BACKWARD (old events lack it) but not FORWARD.
        Schema withRequiredField = SchemaBuilder.record(name).fields().requiredString("id").requiredInt("n").endRecord();
        GenericRecord extended = new GenericData.Record(withRequiredField);
        extended.put("id", "c");
        extended.put("n", 1);
        assertThat(failureOf(append(store.client, stream, ExpectedVersion.exactly(2), extended)))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("HTTP 409");
        registry.setCompatibility(subject(name), "FORWARD");
        assertThat(registry.compatibility(subject(name))).isEqualTo("FORWARD");
        assertThat(append(store.client, stream, ExpectedVersion.exactly(2), extended).get(30, TimeUnit.SECONDS)
                .lastVersion()).isEqualTo(3);
        assertThat(store.versionsInLog(stream, 3)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void withoutAutoRegistrationOnlyRegisteredSchemasAreAccepted() throws Exception {
        String name = uniqueName();
        String stream = "Thing-registered";
        try (AppendClient strict = AppendClient.create(AppendClientConfig.of(store.stack.bootstrapServers(),
                store.stack.schemaRegistryUrl()).withTopics(store.topics).withAutoRegisterSchemas(false))) {
            Throwable refused = failureOf(append(strict, stream, ExpectedVersion.noStream(), event(v1(name), "a")));
            assertThat(refused).isInstanceOf(InvalidAppendException.class).hasMessageContaining("HTTP 404");
            assertThat(store.versionsInLog(stream, 0)).isEmpty();
            assertThat(registry.subjects()).doesNotContain(subject(name));

            registry.register(subject(name), v1(name));
            assertThat(append(strict, stream, ExpectedVersion.noStream(), event(v1(name), "a")).get(30, TimeUnit.SECONDS)
                    .lastVersion()).isEqualTo(1);
        }
    }

    @Test
    void aRegistryThatIsDownOrSilentGivesAClearErrorNotAHang() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, never answers
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int closedPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = probe.getLocalPort();
            }
            for (String url : List.of("http://127.0.0.1:" + closedPort, "http://127.0.0.1:" + silent.getLocalPort())) {
                AppendClientConfig config = AppendClientConfig.of(store.stack.bootstrapServers(), url).withTopics(store.topics);
                config = new AppendClientConfig(config.bootstrapServers(),
                        config.schemaRegistry().withTimeout(Duration.ofMillis(500)), config.topics(), config.defaultTimeout(),
                        true, config.limits(), config.kafkaProperties());
                try (AppendClient client = AppendClient.create(config)) {
                    Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20),
                            () -> failureOf(append(client, "Thing-unsent", ExpectedVersion.any(), event(v1(uniqueName()), "a"))));
                    assertThat(failure).isInstanceOf(AppendNotSentException.class).hasMessageContaining(url);
                }
            }
            assertThat(store.versionsInLog("Thing-unsent", 0)).isEmpty();
        }
    }

    @Test
    void anUnknownSchemaIdIsAClearNotFoundError() {
        int id = 2_000_000_000;
        assertThatThrownBy(() -> registry.schemaById(id)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.isNotFound()).isTrue();
            assertThat(e).hasMessageContaining(Integer.toString(id));
        });
        EventCodec codec = new EventCodec(registry, store.topics.events(), false);
        byte[] framed = {0, 0x77, 0x35, (byte) 0x94, 0x00, 2, 'a'};
        assertThatThrownBy(() -> codec.decode(framed)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void onceWarmAppendsAndDecodingMakeNoRegistryCalls() throws Exception {
        String name = uniqueName();
        Schema schema = v1(name);
        try (AppendClient client = BrokerGate.newClient(store.stack, store.topics)) {
            List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                appends.add(append(client, "Thing-cache-" + (i % 50), ExpectedVersion.any(), event(schema, "e" + i)));
            }
            for (CompletableFuture<AppendResult> append : appends) {
                append.get(60, TimeUnit.SECONDS);
            }
            // However many appends: one registration of the event's schema, one of the append request's
            // schema, one look-up of the result schema by the id in the first result.
            assertThat(client.schemaRegistryRequests()).isEqualTo(3);
        }
        SchemaRegistryClient reader = new SchemaRegistryClient(SchemaRegistryConfig.of(store.stack.schemaRegistryUrl()));
        EventCodec decoding = new EventCodec(reader, store.topics.events(), false);
        byte[] payload = new EventCodec(registry, store.topics.events(), true).encode(event(schema, "x"));
        for (int i = 0; i < 10_000; i++) {
            decoding.decode(payload);
        }
        assertThat(reader.requests()).isEqualTo(1);
    }
}
