package dev.eventstore.reader.query;

import dev.eventstore.schemas.IndexDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.example.bank.MoneyWithdrawn;
import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.ReaderStack;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queries of the index, read-your-writes and lazy paging, on the embedded stack through the real gate and indexer. */
class EventReaderTest {

    private static ReaderStack store;
    private static EventReader reader;

    @BeforeAll
    static void start() throws Exception {
        store = new ReaderStack();
        reader = store.reader;
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    private static AppendResult deposit(String stream, ExpectedVersion expected, int count) throws Exception {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(NewEvent.of(new MoneyDeposited(stream, 100L + i)));
        }
        return store.client.append(stream, expected, events).get(30, TimeUnit.SECONDS);
    }

    private static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    private static List<Long> range(long from, long to) {
        return from <= to ? LongStream.rangeClosed(from, to).boxed().toList()
                : LongStream.rangeClosed(to, from).map(v -> from + to - v).boxed().toList();
    }

    @Test
    void readsAStreamForwardAndBackwardByPages() throws Exception {
        String stream = "Account-paging";
        store.client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened(stream, "Ada", "EUR"))))
                .get(30, TimeUnit.SECONDS);
        AppendResult last = deposit(stream, ExpectedVersion.exactly(1), 24);
        reader.awaitVersion(stream, last.lastVersion(), ReaderStack.WAIT);

        assertThat(versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10))).isEqualTo(range(1, 10));
        assertThat(versions(reader.readStream(stream, 11, ReadDirection.FORWARD, 100))).isEqualTo(range(11, 25));
        assertThat(versions(reader.readStream(stream, Long.MAX_VALUE, ReadDirection.BACKWARD, 5))).isEqualTo(range(25, 21));
        assertThat(versions(reader.readStream(stream, 3, ReadDirection.BACKWARD, 10))).isEqualTo(range(3, 1));
        assertThat(versions(reader.iterateStream(stream, 1, ReadDirection.FORWARD, 7).toList())).isEqualTo(range(1, 25));
        assertThat(versions(reader.iterateStream(stream, Long.MAX_VALUE, ReadDirection.BACKWARD, 4).toList())).isEqualTo(range(25, 1));
        assertThat(reader.readStream(stream, 1, ReadDirection.FORWARD, 1).get(0).eventType()).isEqualTo("AccountOpened");

        assertThat(reader.readStream("Account-never-written", 1, ReadDirection.FORWARD, 10)).isEmpty();
        assertThat(reader.streamInfo("Account-never-written")).isEmpty();
        StreamInfo info = reader.streamInfo(stream).orElseThrow();
        assertThat(info.version()).isEqualTo(25);
        assertThat(info.firstEventAt()).isBeforeOrEqualTo(info.lastEventAt());
        assertThatThrownBy(() -> reader.readStream(stream, 1, ReadDirection.FORWARD, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsAllACategoryAndAnEventTypeInGlobalOrder() throws Exception {
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String loan = "Loan-" + i;
            store.client.append(loan, ExpectedVersion.any(), List.of(NewEvent.of(new MoneyWithdrawn(loan, (long) i)))).get(30, TimeUnit.SECONDS);
            appended.add(loan);
            deposit("Savings-" + i, ExpectedVersion.any(), 2);
            appended.add("Savings-" + i);
            appended.add("Savings-" + i);
        }
        reader.awaitVersion("Savings-5", 2, ReaderStack.WAIT);

        List<RecordedEvent> all = reader.iterateAll(Selection.all(), 0, ReadDirection.FORWARD, 5).toList();
        List<Long> positions = all.stream().map(e -> e.globalPosition().orElseThrow()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(all.stream().map(RecordedEvent::streamId).filter(s -> s.startsWith("Loan-") || s.startsWith("Savings-")))
                .containsExactlyInAnyOrderElementsOf(appended);
        assertThat(reader.readAll(Selection.all(), 0, ReadDirection.FORWARD, 10_000)).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(all);
        assertThat(reader.readAll(Selection.all(), Long.MAX_VALUE, ReadDirection.BACKWARD, 3).stream()
                .map(e -> e.globalPosition().orElseThrow()).toList())
                .containsExactly(positions.get(positions.size() - 1), positions.get(positions.size() - 2), positions.get(positions.size() - 3));

        // Paging from the middle: exactly the events after a position, as a poller of $all would.
        long middle = positions.get(positions.size() / 2);
        assertThat(reader.readAll(Selection.all(), middle + 1, ReadDirection.FORWARD, 10_000).stream()
                .map(e -> e.globalPosition().orElseThrow()).toList())
                .isEqualTo(positions.subList(positions.size() / 2 + 1, positions.size()));

        List<RecordedEvent> loans = reader.readAll(Selection.category("Loan"), 0, ReadDirection.FORWARD, 100);
        assertThat(loans).extracting(RecordedEvent::streamId).containsExactly("Loan-0", "Loan-1", "Loan-2", "Loan-3", "Loan-4", "Loan-5");
        assertThat(reader.iterateAll(Selection.category("Savings"), 0, ReadDirection.FORWARD, 4).count()).isEqualTo(12);
        assertThat(reader.readAll(Selection.eventType("MoneyWithdrawn"), 0, ReadDirection.FORWARD, 100))
                .usingRecursiveFieldByFieldElementComparator().isEqualTo(loans);
        assertThat(reader.readAll(Selection.category("Nothing"), 0, ReadDirection.FORWARD, 100)).isEmpty();
    }

    @Test
    void anEventTheIndexHoldsOtherThanAsWrittenSaysWhyAndAFaithfulOneSaysNothing() throws Exception {
        // Another producer's correlation id holding U+0000, which PostgreSQL's text cannot store: escaped in the index.
        String stream = "Nul-" + UUID.randomUUID();
        store.produceRaw(stream, 1, "MoneyDeposited", store.codec().encode(new MoneyDeposited(stream, 1L)),
                Map.of(EnvelopeHeaders.CORRELATION_ID, "c\u0000d"));
        deposit("Account-faithful", ExpectedVersion.noStream(), 1);
        reader.awaitVersion(stream, 1, ReaderStack.WAIT);
        reader.awaitVersion("Account-faithful", 1, ReaderStack.WAIT);

        RecordedEvent escaped = reader.readStream(stream, 1, ReadDirection.FORWARD, 1).get(0);
        assertThat(escaped.degraded()).hasValueSatisfying(why -> assertThat(why).contains("es.correlation-id holds U+0000"));
        assertThat(escaped.correlationId()).contains("c\\u0000d");
        assertThat(new EventDecoder(store.registry).decode(escaped, MoneyDeposited.class)).isEqualTo(new MoneyDeposited(stream, 1L));
        assertThat(reader.readAll(Selection.category("Nul"), 0, ReadDirection.FORWARD, 100))
                .filteredOn(event -> event.streamId().equals(stream)).singleElement()
                .satisfies(event -> assertThat(event.degraded()).isEqualTo(escaped.degraded()));
        assertThat(reader.readStream("Account-faithful", 1, ReadDirection.FORWARD, 1).get(0).degraded()).isEmpty();
    }

    @Test
    void decodesIntoGeneratedClassesGenericRecordsANewerReaderSchemaOrRawJson() throws Exception {
        String stream = "Account-decoding";
        deposit(stream, ExpectedVersion.noStream(), 1);
        reader.awaitVersion(stream, 1, ReaderStack.WAIT);
        RecordedEvent event = reader.readStream(stream, 1, ReadDirection.FORWARD, 1).get(0);
        EventDecoder decoder = new EventDecoder(store.registry);

        assertThat(decoder.decode(event, MoneyDeposited.class)).isEqualTo(new MoneyDeposited(stream, 100L));
        GenericRecord generic = decoder.decode(event);
        assertThat(generic.get("amountCents")).isEqualTo(100L);
        Schema newer = SchemaBuilder.record("MoneyDeposited").namespace("dev.eventstore.example.bank").fields()
                .requiredString("accountId").requiredLong("amountCents")
                .name("reference").type().stringType().stringDefault("none").endRecord();
        assertThat(decoder.decode(event, newer).get("reference").toString()).isEqualTo("none");
        assertThat(event.dataJson()).hasValueSatisfying(json -> assertThat(json).contains("\"amountCents\": 100"));
        assertThat(event.payload()[0]).isZero(); // the registry wire format's magic byte
    }

    @Test
    void aPayloadsJsonRenderedWithTheRegistryIsTheTextAnIndexKeepingTheJsonReturns() throws Exception {
        String stream = "Account-json-kept";
        store.client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened(stream, "Zoë \"Q\" O'Neil\n", "EUR")),
                NewEvent.of(new MoneyDeposited(stream, 250L)), NewEvent.of(new MoneyWithdrawn(stream, 99L)))).get(30, TimeUnit.SECONDS);
        reader.awaitVersion(stream, 3, ReaderStack.WAIT);
        IndexDatabase keeping = store.database.withSchema(store.database.schema() + "_kept");

        try (Indexer indexer = Indexer.start(IndexerConfig.of(store.stack.bootstrapServers(), keeping, store.stack.schemaRegistryUrl())
                     .withTopics(store.topics).withGroupId(store.topics.prefix() + "-kept").withDataJson(true));
             EventReader columnOnly = new EventReader(keeping)) {
            columnOnly.awaitVersion(stream, 3, ReaderStack.WAIT);
            List<Optional<String>> kept = columnOnly.readStream(stream, 1, ReadDirection.FORWARD, 10).stream().map(RecordedEvent::dataJson).toList();
            List<Optional<String>> rendered = reader.readStream(stream, 1, ReadDirection.FORWARD, 10).stream().map(RecordedEvent::dataJson).toList();

            assertThat(kept).hasSize(3).allSatisfy(json -> assertThat(json).isPresent());
            assertThat(rendered).isEqualTo(kept);
        }
        try (EventReader withoutRegistry = new EventReader(store.database)) {
            assertThat(withoutRegistry.readStream(stream, 1, ReadDirection.FORWARD, 10)).extracting(RecordedEvent::dataJson)
                    .as("the index keeps no JSON by default").containsOnly(Optional.empty());
        }
    }

    @Test
    void aReaderThatLeavesTheJsonOutReadsTheSameEventsWithTheirAvroPayloadOnly() throws Exception {
        String stream = "Account-without-json";
        deposit(stream, ExpectedVersion.noStream(), 3);
        reader.awaitVersion(stream, 3, ReaderStack.WAIT);
        List<RecordedEvent> withJson = reader.readStream(stream, 1, ReadDirection.FORWARD, 10);

        try (EventReader avroOnly = new EventReader(store.database, DataJson.LEFT_OUT)) {
            List<RecordedEvent> read = avroOnly.readStream(stream, 1, ReadDirection.FORWARD, 10);
            List<RecordedEvent> all = avroOnly.readAll(Selection.category("Account"), 0, ReadDirection.FORWARD, 10_000);

            assertThat(read).extracting(RecordedEvent::dataJson).containsOnly(Optional.empty()).hasSize(3);
            assertThat(read).map(EventReaderTest::withoutPayloadAndJson).isEqualTo(withJson.stream().map(EventReaderTest::withoutPayloadAndJson).toList());
            assertThat(read).extracting(RecordedEvent::payload).usingElementComparator(Arrays::compare)
                    .isEqualTo(withJson.stream().map(RecordedEvent::payload).toList());
            assertThat(new EventDecoder(store.registry).decode(read.get(2), MoneyDeposited.class)).isEqualTo(new MoneyDeposited(stream, 102L));
            assertThat(all).filteredOn(e -> e.streamId().equals(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
            assertThat(all).extracting(RecordedEvent::dataJson).containsOnly(Optional.empty());
        }
        assertThat(withJson).allSatisfy(event -> assertThat(event.dataJson()).isPresent());
    }

    @Test
    void readYourWritesWaitsForTheAppendedVersionOrFailsClearly() throws Exception {
        String stream = "Account-ryw";
        AppendResult first = deposit(stream, ExpectedVersion.noStream(), 3);
        assertThat(reader.awaitVersion(stream, first.lastVersion(), ReaderStack.WAIT)).isGreaterThanOrEqualTo(3);
        assertThat(versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10))).isEqualTo(range(1, 3));

        assertThatThrownBy(() -> reader.awaitVersion(stream, 4, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(IndexLagTimeoutException.class, e -> {
                    assertThat(e.awaitedVersion()).isEqualTo(4);
                    assertThat(e.indexedVersion()).isEqualTo(3);
                    assertThat(e).hasMessageContaining("version 4 of stream Account-ryw");
                });
    }

    @Test
    void aWaitingReadIsWokenByTheIndexersNotificationNotByPolling() throws Exception {
        String stream = "Account-woken";
        // Without notifications this reader would only look again after an hour.
        try (EventReader listening = new EventReader(store.database, DataJson.INCLUDED, Duration.ofHours(1), store.payloadJson())) {
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> listening.awaitVersion(stream, 2, ReaderStack.WAIT));
            Thread.sleep(300); // the reader is waiting before the events exist
            assertThat(waited).isNotDone();
            deposit(stream, ExpectedVersion.noStream(), 2);
            assertThat(waited.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void readsBorrowPooledConnectionsRatherThanOpeningOneEach() throws Exception {
        String stream = "Account-pooled";
        deposit(stream, ExpectedVersion.noStream(), 2);
        reader.awaitVersion(stream, 2, ReaderStack.WAIT);
        long before = store.sessionsOpened();
        for (int i = 0; i < 100; i++) {
            assertThat(reader.readStream(stream, 1, ReadDirection.FORWARD, 10)).hasSize(2);
        }
        // One new connection per read would be 100; the pool opens at most its size (plus this count's own).
        assertThat(store.sessionsOpened() - before).isLessThanOrEqualTo(ReadPool.MAX_CONNECTIONS + 1);
    }

    @Test
    void aReadFailsWithAReadExceptionWhenPostgresIsUnreachable() {
        IndexDatabase nowhere = new IndexDatabase("jdbc:postgresql://127.0.0.1:1/eventstore", "postgres", "", "eventstore");
        try (EventReader unreachable = new EventReader(nowhere)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> unreachable.readStream("Account-1", 1, ReadDirection.FORWARD, 10))
                    .isInstanceOf(ReadException.class)
                    .hasMessageContaining("reading stream Account-1 failed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ReadPool.CONNECTION_TIMEOUT.plusSeconds(5));
        }
    }

    @Test
    void iteratesAMillionEventStreamPageByPageInBoundedMemory() throws Exception {
        String stream = "Big-1";
        try (Connection connection = store.database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + store.database.table("events") + " (stream_id, version, category, event_type,"
                    + " event_id, schema_id, payload, metadata, kafka_topic, kafka_partition, kafka_offset, recorded_at)"
                    + " SELECT '" + stream + "', g, 'Big', 'Synthetic', gen_random_uuid(), 1, '\\x00000000010203'::bytea,"
                    + " '{\"source\": \"test\"}', 'synthetic', 0, g, now() FROM generate_series(1, 1000000) g");
            // As autovacuum would after such a load: without statistics the planner may scan the whole table per page.
            statement.execute("ANALYZE " + store.database.table("events"));
        }
        Runtime runtime = Runtime.getRuntime();
        long before = usedHeapAfterGc(runtime);
        long[] count = {0};
        long[] expected = {1};
        long[] peak = {0};
        reader.iterateStream(stream, 1, ReadDirection.FORWARD, 5_000).forEach(event -> {
            assertThat(event.version()).isEqualTo(expected[0]++);
            if (++count[0] % 250_000 == 0) {
                peak[0] = Math.max(peak[0], usedHeapAfterGc(runtime) - before);
            }
        });
        assertThat(count[0]).isEqualTo(1_000_000);
        // The whole stream as objects would take hundreds of MB; a page of 5,000 takes a few.
        assertThat(peak[0]).as("heap growth while iterating").isLessThan(64L * 1024 * 1024);
    }

    private static long usedHeapAfterGc(Runtime runtime) {
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Every component of an event but its payload and the payload's JSON. */
    private static List<Object> withoutPayloadAndJson(RecordedEvent event) {
        return List.of(event.streamId(), event.version(), event.eventId(), event.eventType(), event.metadata(),
                event.correlationId(), event.causationId(), event.recordedAt(), event.globalPosition(), event.logPosition());
    }
}
