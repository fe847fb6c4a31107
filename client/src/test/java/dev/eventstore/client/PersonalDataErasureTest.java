package dev.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.CustomerRegistered;
import dev.eventstore.indexer.IndexRebuild;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.snapshot.Snapshot;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.schemas.personal.PostgresKeyStore;
import dev.eventstore.schemas.personal.Revealed;
import dev.eventstore.schemas.personal.SubjectForgottenException;
import dev.eventstore.schemas.personal.UnknownSubjectException;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Crypto-shredding on the real broker, PostgreSQL and registry: what is written, what is read, before and after forget. */
class PersonalDataErasureTest {

    private static ClientStack stack;

    @BeforeAll
    static void startStore() throws Exception {
        stack = ClientStack.start();
    }

    @AfterAll
    static void stopStore() {
        stack.close();
    }

    @Test
    void personalValuesAreFoundNowhereInPostgresOrTheDecodedLogBeforeAndAfterForgetAndRebuild() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String stream = "Customer-" + run;
        String namedSubject = "person-" + run;
        String otherStream = "Customer-" + run + "b";
        Customer ada = new Customer("Adaqx" + run, "ada." + run + "@example.org", ("photo-of-ada-" + run).getBytes(StandardCharsets.UTF_8));
        Customer bob = new Customer("Bobqx" + run, "bob." + run + "@example.org", ("photo-of-bob-" + run).getBytes(StandardCharsets.UTF_8));
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(ada.event(run)))).get(30, TimeUnit.SECONDS);
            AppendResult named = store.appends().append(otherStream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(bob.event(run)).withDataSubject(namedSubject))).get(30, TimeUnit.SECONDS);
            store.reads().awaitVersion(stream, 1, Duration.ofSeconds(30));
            store.reads().awaitVersion(otherStream, named.lastVersion(), Duration.ofSeconds(30));
            store.snapshots().save(stream, 1, ada.event(run));
            store.snapshots().save(otherStream, 1, bob.event(run), namedSubject);

            assertNoClearText(List.of(ada, bob));
            assertThat(store.decoder().decode(read(store, stream), CustomerRegistered.class)).isEqualTo(ada.event(run));
            assertThat(store.decoder().decode(read(store, otherStream), CustomerRegistered.class)).isEqualTo(bob.event(run));
            assertThat(read(store, otherStream).dataSubject()).isEqualTo(namedSubject);

            store.forget(stream);
            store.forget(namedSubject);

            assertErased(store.decoder().decodeRevealed(read(store, stream), CustomerRegistered.class));
            assertErased(store.decoder().decodeRevealed(read(store, otherStream), CustomerRegistered.class));
            Snapshot<CustomerRegistered> snapshot = store.snapshots().loadLatest(stream, CustomerRegistered.class).orElseThrow();
            assertThat(snapshot.erasedFields()).containsExactly("name", "email", "photo");
            assertThat(snapshot.state().getName()).isEmpty();
            assertThat(store.snapshots().loadLatest(otherStream, CustomerRegistered.class).orElseThrow().erasedFields())
                    .containsExactly("name", "email", "photo");

            IndexRebuild.run(stack.indexerConfig, progress -> { }, Duration.ofMinutes(2));

            assertNoClearText(List.of(ada, bob));
            store.reads().awaitVersion(otherStream, named.lastVersion(), Duration.ofSeconds(30));
            assertErased(store.decoder().decodeRevealed(read(store, stream), CustomerRegistered.class));
            assertErased(store.decoder().decodeRevealed(read(store, otherStream), CustomerRegistered.class));
        }
    }

    @Test
    void aSubjectNotForgottenStillDecryptsAfterTheIndexIsRebuiltBecauseItsKeyMovesWithTheSwap() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        Customer cleo = new Customer("Cleo", "cleo@example.org", new byte[] {1, 2, 3});
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(cleo.event("c")))).get(30, TimeUnit.SECONDS);
            store.reads().awaitVersion(stream, 1, Duration.ofSeconds(30));

            IndexRebuild.run(stack.indexerConfig, progress -> { }, Duration.ofMinutes(2));

            store.reads().awaitVersion(stream, 1, Duration.ofSeconds(30));
            Revealed<CustomerRegistered> read = store.decoder().decodeRevealed(read(store, stream), CustomerRegistered.class);
            assertThat(read.erasedFields()).isEmpty();
            assertThat(read.value()).isEqualTo(cleo.event("c"));
        }
    }

    @Test
    void aSubscriptionDecodesPersonalFieldsOfANamedSubjectBeforeForgetAndShowsThemErasedAfter() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            String subject = "dora-" + UUID.randomUUID();
            store.appends().append(stream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new Customer("Dora", null, new byte[0]).event("d")).withDataSubject(subject))).get(30, TimeUnit.SECONDS);
            List<Revealed<CustomerRegistered>> received = new CopyOnWriteArrayList<>();
            Subscription subscription = store.subscribe("personal-" + UUID.randomUUID(), config -> config.withFilter(EventFilter.streams(stream)),
                    event -> received.add(store.decoder().decodeRevealed(event, CustomerRegistered.class)));
            subscription.caughtUp().get(60, TimeUnit.SECONDS);
            assertThat(received).singleElement().satisfies(r -> assertThat(r.value().getName()).isEqualTo("Dora"));
            subscription.close();

            store.forget(subject);
            List<Revealed<CustomerRegistered>> again = new CopyOnWriteArrayList<>();
            store.subscribe("personal-" + UUID.randomUUID(), config -> config.withFilter(EventFilter.streams(stream)),
                    event -> again.add(store.decoder().decodeRevealed(event, CustomerRegistered.class))).caughtUp().get(60, TimeUnit.SECONDS);
            assertThat(again).singleElement().satisfies(r -> {
                assertThat(r.erasedFields()).containsExactly("name", "photo"); // a null email was never encrypted
                assertThat(r.value().getName()).isEmpty();
            });
        }
    }

    @Test
    void anAppendOfPersonalDataForAForgottenSubjectIsRefusedAndNothingIsAppended() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new Customer("Eve", null, new byte[0]).event("e"))))
                    .get(30, TimeUnit.SECONDS);
            store.forget(stream);

            assertThatThrownBy(() -> store.appends().append(stream, ExpectedVersion.exactly(1),
                    List.of(NewEvent.of(new Customer("Eve again", null, new byte[0]).event("e")))).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SubjectForgottenException.class).hasMessageContaining(stream)
                    .satisfies(e -> assertThat(((SubjectForgottenException) e).isRetryable()).isFalse());
            AppendResult next = store.appends().append(stream, ExpectedVersion.exactly(1),
                    List.of(NewEvent.of(new dev.eventstore.example.bank.MoneyDeposited("e", 1L)))).get(30, TimeUnit.SECONDS);
            assertThat(next.lastVersion()).isEqualTo(2);
        }
    }

    @Test
    void twoClientsRacingForANewSubjectsKeyGetTheSameKey() throws Exception {
        PostgresKeyStore first = new PostgresKeyStore(PersonalDataErasureTest::connect, schema());
        PostgresKeyStore second = new PostgresKeyStore(PersonalDataErasureTest::connect, schema());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String subject = "race-" + UUID.randomUUID();
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<byte[]>> keys = new ArrayList<>();
                for (PostgresKeyStore store : List.of(first, second, first, second)) {
                    keys.add(threads.submit(() -> {
                        start.await();
                        return store.keyFor(subject).getEncoded();
                    }));
                }
                byte[] key = keys.get(0).get(30, TimeUnit.SECONDS);
                for (Future<byte[]> other : keys) {
                    assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(key);
                }
                assertThat(count("SELECT count(*) FROM " + schema() + ".data_keys WHERE subject = ?", subject)).isEqualTo(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void forgettingAnUnknownSubjectIsATypedErrorAndRecordsNothing() throws Exception {
        String subject = "never-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            assertThatThrownBy(() -> store.forget(subject)).isInstanceOf(UnknownSubjectException.class).hasMessageContaining(subject);
        }
        assertThat(count("SELECT count(*) FROM " + schema() + ".data_keys WHERE subject = ?", subject)).isZero();
    }

    @Test
    void forgettingKeepsWhenTheSubjectWasForgottenAndDestroysItsKey() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new Customer("Fay", null, new byte[0]).event("f"))))
                    .get(30, TimeUnit.SECONDS);
            var first = store.forget(stream);
            assertThat(store.forget(stream)).isEqualTo(first);
        }
        assertThat(count("SELECT count(*) FROM " + schema() + ".data_keys WHERE subject = ? AND data_key IS NULL"
                + " AND forgotten_at IS NOT NULL", stream)).isEqualTo(1);
    }

    @Test
    void anAppendWithPersonalFieldsWhileTheKeyStoreIsUnreachableIsRefusedRetryablyAndNothingIsSent() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        EventStoreSettings deadDatabase = stack.settings.with("jdbc.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
        try (EventStoreClient store = EventStoreClient.connect(deadDatabase)) {
            assertThatThrownBy(() -> store.appends().append(stream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new Customer("Gus", null, new byte[0]).event("g")))).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(dev.eventstore.writer.api.AppendNotSentException.class)
                    .hasMessageContaining("key store")
                    .satisfies(e -> assertThat(((dev.eventstore.writer.api.AppendNotSentException) e).isRetryable()).isTrue());

            // Nothing reached the log: the stream's first event is this one.
            AppendResult plain = store.appends().append(stream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new dev.eventstore.example.bank.MoneyDeposited("g", 1L)))).get(30, TimeUnit.SECONDS);
            assertThat(plain.lastVersion()).isEqualTo(1);
        }
    }

    @Test
    void aTamperedCiphertextIsATypedErrorOnReadNotAnErasure() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            store.appends().append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new Customer("Hal", null, new byte[0]).event("h"))))
                    .get(30, TimeUnit.SECONDS);
            store.reads().awaitVersion(stream, 1, Duration.ofSeconds(30));
            RecordedEvent event = read(store, stream);
            EventCodec plain = new EventCodec(registry(), stack.settings.get("topic.prefix").orElseThrow() + ".events", true);
            GenericRecord written = plain.decode(event.payload());
            String name = written.get("name").toString();
            written.put("name", name.substring(0, name.length() - 4) + (name.endsWith("AAAA") ? "BBBB" : "AAAA"));
            RecordedEvent tampered = new RecordedEvent(event.streamId(), event.version(), event.eventId(), event.eventType(),
                    plain.encode(written), event.metadata(), event.correlationId(), event.causationId(), event.recordedAt(),
                    event.globalPosition(), event.logPosition(), event.dataJson());

            assertThatThrownBy(() -> store.decoder().decode(tampered))
                    .isInstanceOf(dev.eventstore.schemas.personal.TamperedCiphertextException.class)
                    .hasMessageContaining("name").hasMessageContaining("does not authenticate");
        }
    }

    @Test
    void aSubjectForgottenByAnotherProcessIsErasedHereWithinTheKeyCacheBound() throws Exception {
        String stream = "Customer-" + UUID.randomUUID();
        Duration bound = Duration.ofSeconds(2);
        EventStoreSettings cached = stack.settings.with("keys.cache.ttl.ms", Long.toString(bound.toMillis()));
        try (EventStoreClient forgetting = EventStoreClient.connect(cached); EventStoreClient other = EventStoreClient.connect(cached)) {
            forgetting.appends().append(stream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new Customer("Ivy", null, new byte[0]).event("i")))).get(30, TimeUnit.SECONDS);
            forgetting.reads().awaitVersion(stream, 1, Duration.ofSeconds(30));
            RecordedEvent event = read(other, stream);
            assertThat(other.decoder().decodeRevealed(event, CustomerRegistered.class).erased()).isFalse(); // its key is cached now

            long forgotAt = System.nanoTime();
            forgetting.forget(stream);

            assertThat(forgetting.decoder().decodeRevealed(event, CustomerRegistered.class).erased()).isTrue(); // at once
            while (!other.decoder().decodeRevealed(event, CustomerRegistered.class).erased()) {
                assertThat(Duration.ofNanos(System.nanoTime() - forgotAt)).isLessThanOrEqualTo(bound.plusMillis(500));
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aPersonalMarkOnAnIntFieldIsRefusedBeforeTheSchemaIsRegistered() throws Exception {
        org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser().parse("{\"type\": \"record\", \"name\": \"AgeRecorded"
                + UUID.randomUUID().toString().replace("-", "") + "\", \"namespace\": \"t\", \"fields\": "
                + "[{\"name\": \"age\", \"type\": \"int\", \"personal\": true}]}");
        GenericRecord record = new org.apache.avro.generic.GenericData.Record(schema);
        record.put("age", 42);
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            assertThatThrownBy(() -> store.appends().append("Person-" + UUID.randomUUID(), ExpectedVersion.any(),
                    List.of(NewEvent.of(record))).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(dev.eventstore.schemas.personal.InvalidPersonalFieldException.class)
                    .hasMessageContaining("field age").hasMessageContaining("string, bytes");
        }
        String subject = EventCodec.subject(stack.settings.get("topic.prefix").orElseThrow() + ".events", schema);
        assertThat(registry().subjects()).doesNotContain(subject);
    }

    private record Customer(String name, String email, byte[] photo) {
        CustomerRegistered event(String id) {
            return new CustomerRegistered(id, name, email, ByteBuffer.wrap(photo), "NL");
        }

        List<String> clearTexts() {
            List<String> texts = new ArrayList<>(List.of(name, new String(photo, StandardCharsets.UTF_8)));
            if (email != null) {
                texts.add(email);
            }
            return texts;
        }
    }

    private static void assertErased(Revealed<CustomerRegistered> read) {
        assertThat(read.erasedFields()).containsExactly("name", "email", "photo");
        assertThat(read.value().getName()).isEmpty();
        assertThat(read.value().getEmail()).isNull();
        assertThat(read.value().getPhoto()).isEqualTo(ByteBuffer.allocate(0));
        assertThat(read.value().getCountry()).isEqualTo("NL");
    }

    private static RecordedEvent read(EventStoreClient store, String stream) {
        return store.reads().readStream(stream, 1, ReadDirection.FORWARD, 1).get(0);
    }

    /**
     * Every table of every schema of this store's index (the live one, a rebuilt one, the old one kept after a
     * rebuild), each row as text; and every record of the events topic, raw and decoded with the registry by a
     * plain consumer: none holds a clear-text value (nor its bytes in hex, as PostgreSQL renders bytea).
     */
    private static void assertNoClearText(List<Customer> customers) throws Exception {
        List<String> needles = new ArrayList<>();
        for (Customer customer : customers) {
            for (String text : customer.clearTexts()) {
                needles.add(text);
                needles.add(HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
        List<String> tables = new ArrayList<>();
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                     + " WHERE table_schema LIKE ? AND table_type = 'BASE TABLE'")) {
            select.setString(1, schema() + "%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        assertThat(tables).contains(schema() + ".events", schema() + ".data_keys", schema() + ".snapshots");
        for (String table : tables) {
            for (String needle : needles) {
                assertThat(count("SELECT count(*) FROM " + table + " AS r WHERE strpos(r::text, ?) > 0", needle))
                        .as("rows of %s holding %s", table, needle).isZero();
            }
        }
        int records = 0;
        EventCodec plain = new EventCodec(registry(), "", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings.get("kafka.bootstrap.servers").orElseThrow(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.GROUP_ID_CONFIG, "plain-" + UUID.randomUUID()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = stack.settings.get("topic.prefix").orElseThrow() + ".events";
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int idlePolls = 0;
            while (System.nanoTime() < deadline && (records == 0 || idlePolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                idlePolls = batch.isEmpty() ? idlePolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    if (record.value() == null) {
                        continue; // a lifecycle marker
                    }
                    records++;
                    String raw = new String(record.value(), StandardCharsets.ISO_8859_1);
                    String decoded = plain.decode(record.value()).toString();
                    for (Customer customer : customers) {
                        for (String text : customer.clearTexts()) {
                            assertThat(raw).doesNotContain(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                            assertThat(decoded).doesNotContain(text);
                        }
                    }
                }
            }
        }
        assertThat(records).isPositive();
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(stack.settings.get("jdbc.url").orElseThrow(), stack.settings.get("jdbc.user").orElseThrow(),
                stack.settings.get("jdbc.password").orElse(""));
    }

    private static String schema() {
        return stack.settings.get("index.schema").orElseThrow();
    }

    private static SchemaRegistryClient registry() {
        return new SchemaRegistryClient(SchemaRegistryConfig.of(stack.settings.get("schema.registry.url").orElseThrow()));
    }
}
