package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.DeadLetters;
import dev.eventstore.schemas.EnvelopeHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class IndexerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEventIsIndexedOnceWithItsEnvelopeAndARestartedIndexerResumesWhereItStopped() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared())) {
            log.append(50, 2_000);
            try (Indexer indexer = Indexer.start(log.indexerConfig())) {
                log.awaitIndexed(2_000, WAIT);
                // The lag is measured after a batch's count is added, and the rows are visible just before: wait for it.
                awaitNoLag(indexer);
                assertThat(indexer.indexedEvents()).isEqualTo(2_000);
            }
            log.append(50, 1_000);

            try (Indexer restarted = Indexer.start(log.indexerConfig())) {
                log.awaitIndexed(3_000, WAIT);
                awaitNoLag(restarted);
                assertThat(restarted.indexedEvents()).as("events indexed after the restart").isEqualTo(1_000);
            }

            log.assertIndexEqualsLog();
            assertThat(log.indexedCount()).isEqualTo(3_000);
            assertRowsCarryTheirRecords(log, 0);
            try (Connection connection = log.connect(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT e.category, e.event_type, e.data::text, e.metadata::text, s.version,"
                         + " e.schema_id, length(e.payload) FROM " + log.indexSchema + ".events e JOIN " + log.indexSchema
                         + ".streams s USING (stream_id) WHERE e.version = 1 LIMIT 1")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("Account");
                assertThat(row.getString(2)).isEqualTo("MoneyDeposited");
                assertThat(row.getString(3)).as("the payload's JSON, kept only with index.data.json").isNull();
                assertThat(JSON.readTree(row.getString(4))).isEqualTo(JSON.readTree("{\"tenant\": \"acme\"}"));
                assertThat(row.getLong(5)).isEqualTo(60);
                assertThat(row.getInt(6)).isPositive();
                assertThat(row.getInt(7)).isGreaterThan(5);
            }
        }
    }

    @Test
    void withThePayloadsJsonKeptEveryRowGetsItOnceAndARestartedIndexerCarriesOnWithIt() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared())) {
            log.append(20, 1_000);
            try (Indexer indexer = Indexer.start(log.indexerConfig().withDataJson(true))) {
                log.awaitIndexed(1_000, WAIT);
                awaitNoLag(indexer);
            }
            log.append(20, 500);
            try (Indexer restarted = Indexer.start(log.indexerConfig().withDataJson(true))) {
                log.awaitIndexed(1_500, WAIT);
                awaitNoLag(restarted);
                assertThat(restarted.indexedEvents()).as("events indexed after the restart").isEqualTo(500);
            }
            log.assertIndexEqualsLog();
            assertThat(log.indexedCount()).isEqualTo(1_500);
            log.assertEveryRowHoldsItsPayloadsJson();
        }
    }

    @Test
    void theGroupsOffsetsFollowThePositionsStoredInPostgresWithinTheIntervalAndAtClose() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, log.stack.bootstrapServers()))) {
            IndexerConfig config = log.indexerConfig();
            log.append(20, 500);
            try (Indexer indexer = Indexer.start(config)) {
                log.awaitIndexed(500, WAIT);
                awaitNoLag(indexer);
                Map<TopicPartition, Long> stored = Indexer.storedPositions(config);
                long deadline = System.nanoTime() + Indexer.GROUP_OFFSETS_INTERVAL.multipliedBy(10).toNanos();
                while (!groupOffsets(admin, config.groupId()).equals(stored) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(groupOffsets(admin, config.groupId())).as("copied while the indexer runs").isEqualTo(stored);

                log.append(20, 300);
                log.awaitIndexed(800, WAIT);
                awaitNoLag(indexer);
            } // closed at once: the last positions are copied by the close, not by the interval

            assertThat(groupOffsets(admin, config.groupId())).as("copied at close").isEqualTo(Indexer.storedPositions(config));
            assertThat(Indexer.storedPositions(config).values().stream().mapToLong(Long::longValue).sum())
                    .as("the stored positions are past every record of the log").isGreaterThanOrEqualTo(800);
        }
    }

    private static Map<TopicPartition, Long> groupOffsets(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }

    @Test
    void aRecordThatCannotBePlacedIsParkedOnTheDeadLetterTopicWithTheReasonAndIndexingGoesOn() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig())) {
            log.appendUnplaceable("not-an-event");
            log.append(5, 20);

            log.awaitIndexed(20, WAIT);

            List<ConsumerRecord<String, byte[]>> parked = readAll(log, log.topics.deadLetters(), 1, WAIT);
            assertThat(parked).hasSize(1);
            assertThat(parked.get(0).key()).isEqualTo("not-an-event");
            assertThat(new String(parked.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .contains("missing envelope header es.stream");
            assertThat(new String(parked.get(0).headers().lastHeader(DeadLetters.SOURCE).value(), StandardCharsets.UTF_8))
                    .startsWith(log.topics.events() + "-");
        }
    }

    @Test
    void anUnplaceableRecordOfABatchThatRollsBackIsParkedOnceAfterTheBatchCommits() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig())) {
            log.append(1, 1);
            log.awaitIndexed(1, WAIT);
            // Given an index whose next two batches fail in PostgreSQL (a sequence is not rolled back with them)
            try (Connection connection = log.stack.connectToDatabase();
                 Statement sql = connection.createStatement()) {
                String schema = log.indexSchema;
                sql.execute("CREATE SEQUENCE " + schema + ".failures");
                sql.execute("CREATE FUNCTION " + schema + ".fail_twice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF nextval('" + schema + ".failures') <= 2 THEN RAISE EXCEPTION 'injected failure'; END IF;"
                        + " RETURN NEW; END $$");
                sql.execute("CREATE TRIGGER fail_twice BEFORE INSERT ON " + schema + ".events FOR EACH ROW EXECUTE FUNCTION "
                        + schema + ".fail_twice()");
            }

            // When a batch holds an event and, after it, a record with no place in a stream
            String stream = "Account-" + UUID.randomUUID();
            log.appendEventThenUnplaceable(stream);
            log.awaitIndexed(2, WAIT);

            // Then the record was parked once, though the batches that held it were tried three times
            List<ConsumerRecord<String, byte[]>> parked = readAll(log, log.topics.deadLetters(), 2, Duration.ofSeconds(5));
            assertThat(parked).extracting(ConsumerRecord::key).containsExactly(stream);
        }
    }

    @Test
    void anEventIdReusedAcrossAppendsIsIndexedAsTheLogHoldsItAndIndexingGoesOn() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig())) {
            UUID reused = UUID.randomUUID();
            log.append(5, 20);
            log.appendReusingEventId(3, reused);
            log.append(5, 20);

            log.awaitIndexed(43, WAIT);

            assertThat(indexer.isRunning()).isTrue();
            log.assertIndexEqualsLog();
            try (Connection connection = log.connect();
                 PreparedStatement select = connection.prepareStatement("SELECT stream_id FROM " + log.indexSchema
                         + ".events WHERE event_id = ? ORDER BY stream_id")) {
                select.setObject(1, reused);
                List<String> streams = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        streams.add(rows.getString(1));
                    }
                }
                assertThat(streams).containsExactly("Reused-" + log.indexSchema + "-0", "Reused-" + log.indexSchema + "-1",
                        "Reused-" + log.indexSchema + "-2");
            }
        }
    }

    @Test
    void aPollerOfAllNeverMissesAnEventWhileTwoIndexersCommitConcurrently() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared())) {
            int total = 20_000;
            Indexer first = Indexer.start(log.indexerConfig());
            Indexer second = Indexer.start(log.indexerConfig());
            List<Long> seen = new ArrayList<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            try {
                CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < total / 500; i++) {
                        log.append(200, 500);
                    }
                    loading.set(false);
                });
                long last = 0;
                try (Connection connection = log.connect()) {
                    long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
                    while ((loading.get() || log.indexedCount() < total || seen.size() < total) && System.nanoTime() < deadline) {
                        last = poll(connection, log.indexSchema, last, seen);
                    }
                }
                load.join();
            } finally {
                first.close();
                second.close();
            }

            assertThat(first.indexedEvents()).as("the first indexer's share").isPositive();
            assertThat(second.indexedEvents()).as("the second indexer's share").isPositive();
            assertThat(seen).as("positions the poller saw").hasSize(total);
            assertThat(new HashSet<>(seen)).hasSize(total);
            log.assertIndexEqualsLog();
        }
    }

    /** One page of $all after {@code last}: the way a reader of the global order polls. */
    private static long poll(Connection connection, String schema, long last, List<Long> seen) throws Exception {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT global_position FROM " + schema + ".events WHERE global_position > ? ORDER BY global_position LIMIT 1000")) {
            select.setLong(1, last);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    seen.add(last);
                }
            }
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        return last;
    }

    private static void awaitNoLag(Indexer indexer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (indexer.lag().events().isEmpty() || indexer.lag().totalEvents() > 0) {
            assertThat(System.nanoTime()).as("lag reaches 0: %s", indexer.lag()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(indexer.lag().maxMillis()).isZero();
    }

    /** The topic's records, read until {@code expected} came or {@code wait} passed. */
    private static List<ConsumerRecord<String, byte[]>> readAll(EventLogFixture log, String topic, int expected, Duration wait) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, log.stack.bootstrapServers());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + wait.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every indexed row of the partition holds its record's stream, event id, payload bytes and timestamp. */
    private static void assertRowsCarryTheirRecords(EventLogFixture log, int partition) throws Exception {
        Map<Long, ConsumerRecord<String, byte[]>> byOffset = new HashMap<>();
        readToEnd(log, new TopicPartition(log.topics.events(), partition)).forEach(record -> byOffset.put(record.offset(), record));
        int rows = 0;
        try (Connection connection = log.connect();
             PreparedStatement select = connection.prepareStatement("SELECT kafka_offset, stream_id, event_id, payload, recorded_at FROM "
                     + log.indexSchema + ".events WHERE kafka_partition = ?")) {
            select.setInt(1, partition);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows++;
                    ConsumerRecord<String, byte[]> record = byOffset.get(row.getLong(1));
                    assertThat(record).as("the record at offset %d", row.getLong(1)).isNotNull();
                    assertThat(row.getString(2)).isEqualTo(record.key());
                    assertThat(row.getObject(3, UUID.class).toString()).isEqualTo(EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.EVENT_ID));
                    assertThat(row.getBytes(4)).isEqualTo(record.value());
                    assertThat(row.getTimestamp(5).toInstant().toEpochMilli()).isEqualTo(record.timestamp());
                }
            }
        }
        assertThat(rows).isEqualTo(byOffset.size()).isPositive();
    }

    private static List<ConsumerRecord<String, byte[]>> readToEnd(EventLogFixture log, TopicPartition partition) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, log.stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
