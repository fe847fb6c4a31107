package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer against a real PostgreSQL: the rows are streamed into COPY while the batch is still being decoded. */
class IndexWriterTest {

    private static final TopicPartition PARTITION = new TopicPartition("es.events", 0);

    private final LocalStack stack = LocalStack.shared();
    private final String schema = "writer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Test
    void aBatchLargerThanOneCopyChunkIsWrittenWholeInBatchOrder() throws Exception {
        IndexSchema.migrate(database());
        List<IndexedEvent> events = events(5_000, "big payload ".repeat(40)); // ~2.5 MB of COPY input: many chunks

        try (Connection connection = connect()) {
            IndexWriter.Written written = new IndexWriter(schema).write(connection, events, Map.of(), Map.of(PARTITION, 5_000L));

            assertThat(written).isEqualTo(new IndexWriter.Written(5_000, 0));
            assertThat(offsetsInPositionOrder(connection)).isEqualTo(events.stream().map(IndexedEvent::offset).toList());
            assertThat(storedPosition(connection)).isEqualTo(5_000L);
        }
    }

    @Test
    @Timeout(60) // a connection left in COPY mode does not fail the retry: it hangs it
    void aDecodingFailureMidBatchWritesNothingAndLeavesTheConnectionUsableForTheRetry() throws Exception {
        IndexSchema.migrate(database());
        List<IndexedEvent> events = events(3_000, "payload ".repeat(40));
        Iterable<IndexedEvent> failingAfterTwoThousand = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next == 2_000) {
                    // What EventRows throws when the registry cannot be reached: transient, the batch is retried.
                    throw new SchemaRegistryException("registry unreachable", new java.net.ConnectException("refused"));
                }
                return next < events.size();
            }

            @Override
            public IndexedEvent next() {
                return events.get(next++);
            }
        };

        try (Connection connection = connect()) {
            IndexWriter writer = new IndexWriter(schema);
            assertThatThrownBy(() -> writer.write(connection, failingAfterTwoThousand, Map.of(), Map.of(PARTITION, 3_000L)))
                    .isInstanceOf(SchemaRegistryException.class);
            assertThat(offsetsInPositionOrder(connection)).as("rows after the failed batch").isEmpty();
            assertThat(storedPosition(connection)).as("position after the failed batch").isNull();

            IndexWriter.Written written = writer.write(connection, events, Map.of(), Map.of(PARTITION, 3_000L));

            assertThat(written.events()).isEqualTo(3_000);
            assertThat(offsetsInPositionOrder(connection)).isEqualTo(events.stream().map(IndexedEvent::offset).toList());
        }
    }

    @Test
    @Timeout(60)
    void aRowPostgresRefusesForItsContentIsWrittenStrippedAndFlaggedAndTheBatchGoesIn() throws Exception {
        IndexSchema.migrate(database());
        // Rows EventRows would have made storable: here they reach the writer as they are, as a row PostgreSQL
        // refuses for a reason no check foresaw would. A NUL escape in jsonb is refused with SQLState 22P05.
        List<IndexedEvent> events = new ArrayList<>(events(10, "fine"));
        IndexedEvent refused = events.get(4);
        events.set(4, new IndexedEvent(refused.streamId(), refused.version(), refused.category(), refused.eventType(),
                refused.eventId(), refused.schemaId(), refused.payload(), "{\"note\": \"a\\u0000b\"}", "{\"k\": \"v\"}",
                "correlation", null, "request-4", refused.topic(), refused.partition(), refused.offset(),
                refused.recordedAtMillis(), null));
        events.set(7, events.get(7).withData("{\"k\": \"\\u0000\"}"));

        try (Connection connection = connect()) {
            IndexWriter.Written written = new IndexWriter(schema).write(connection, events, Map.of(), Map.of(PARTITION, 10L));

            assertThat(written).isEqualTo(new IndexWriter.Written(10, 2));
            assertThat(offsetsInPositionOrder(connection)).isEqualTo(events.stream().map(IndexedEvent::offset).toList());
            assertThat(storedPosition(connection)).isEqualTo(10L);
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT kafka_offset, data IS NULL, metadata::text, correlation_id, degraded,"
                         + " payload FROM " + schema + ".events ORDER BY global_position")) {
                while (rows.next()) {
                    long offset = rows.getLong(1);
                    boolean refusedRow = offset == 4 || offset == 7;
                    assertThat(rows.getBoolean(2)).as("data left out at offset %d", offset).isEqualTo(refusedRow);
                    assertThat(rows.getString(5)).as("degraded at offset %d", offset)
                            .satisfies(reason -> assertThat(reason == null).isEqualTo(!refusedRow));
                    assertThat(rows.getBytes(6)).as("payload at offset %d", offset).isEqualTo(events.get((int) offset).payload());
                    if (refusedRow) {
                        assertThat(rows.getString(5)).startsWith("PostgreSQL refused the row (22P05");
                        assertThat(rows.getString(3)).isEqualTo("{}");
                        assertThat(rows.getString(4)).isNull();
                    }
                }
            }
            connection.commit();
        }
    }

    private static List<IndexedEvent> events(int count, String text) {
        List<IndexedEvent> events = new ArrayList<>();
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            String stream = "Account-" + (i % 7);
            events.add(new IndexedEvent(stream, i / 7 + 1, "Account", "MoneyDeposited", UUID.randomUUID(), 1, payload,
                    "{\"note\": \"" + text + "\"}", "{}", null, null, "request-" + i, PARTITION.topic(), PARTITION.partition(),
                    i, 1_700_000_000_000L + i, null));
        }
        return events;
    }

    private List<Long> offsetsInPositionOrder(Connection connection) throws SQLException {
        List<Long> offsets = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT kafka_offset FROM " + schema + ".events ORDER BY global_position")) {
            while (rows.next()) {
                offsets.add(rows.getLong(1));
            }
        }
        connection.commit();
        return offsets;
    }

    private Long storedPosition(Connection connection) throws SQLException {
        Long position = new IndexWriter(schema).positions(connection, PARTITION.topic()).get(PARTITION);
        connection.commit();
        return position;
    }

    private IndexDatabase database() {
        return new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema);
    }

    private Connection connect() throws SQLException {
        Connection connection = stack.connectToDatabase();
        connection.setAutoCommit(false);
        return connection;
    }
}
