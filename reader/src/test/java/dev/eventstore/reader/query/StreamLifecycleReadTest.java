package dev.eventstore.reader.query;

import dev.eventstore.schemas.IndexDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.reader.ReaderStack;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.StreamMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting, truncating and retention as the reader sees them, through the real gate and indexer: the gate's
 * markers reach the index in the indexer's batch transaction, and an index rebuilt from the log agrees.
 */
class StreamLifecycleReadTest {

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

    private static String newCategory() {
        return "Lc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static AppendResult deposit(String stream, ExpectedVersion expected, int count) throws Exception {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(NewEvent.of(new MoneyDeposited(stream, 100L + i)));
        }
        AppendResult result = store.client.append(stream, expected, events).get(30, TimeUnit.SECONDS);
        reader.awaitVersion(stream, result.lastVersion(), ReaderStack.WAIT);
        return result;
    }

    /** Waits until the index's view of the stream satisfies {@code condition}: a marker moves no version to await. */
    private static StreamInfo awaitInfo(EventReader in, String stream, Predicate<StreamInfo> condition) throws InterruptedException {
        long deadline = System.nanoTime() + ReaderStack.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var info = in.streamInfo(stream);
            if (info.isPresent() && condition.test(info.get())) {
                return info.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the index never showed the change of " + stream + ": " + in.streamInfo(stream));
    }

    private static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    private static List<String> streamsOf(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::streamId).distinct().toList();
    }

    private static long rowsOf(String schema, String stream) throws Exception {
        try (Connection connection = store.stack.connectToDatabase();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + schema + ".events WHERE stream_id = ?")) {
            count.setString(1, stream);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void aDeletedStreamFailsToReadWithATypedErrorAndCategoryAndAllReadsSkipItsEvents() throws Exception {
        String category = newCategory();
        String deleted = category + "-1";
        String kept = category + "-2";
        deposit(deleted, ExpectedVersion.noStream(), 3);
        deposit(kept, ExpectedVersion.noStream(), 2);

        store.client.deleteStream(deleted, ExpectedVersion.exactly(3)).get(30, TimeUnit.SECONDS);
        StreamInfo info = awaitInfo(reader, deleted, StreamInfo::deleted);

        assertThatThrownBy(() -> reader.readStream(deleted, 1, ReadDirection.FORWARD, 10))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> {
                    assertThat(e.tombstoned()).isFalse();
                    assertThat(e.version()).isEqualTo(3);
                    assertThat(e.isRetryable()).isFalse();
                });
        assertThat(streamsOf(reader.readAll(Selection.category(category), 0, ReadDirection.FORWARD, 100))).containsExactly(kept);
        assertThat(streamsOf(reader.readAll(Selection.all(), 0, ReadDirection.FORWARD, 100_000))).doesNotContain(deleted);
        assertThat(info.truncatedBefore()).isEqualTo(4);
        assertThat(rowsOf(store.database.schema(), deleted)).as("rows of the deleted stream in the index").isZero();
    }

    @Test
    void aSoftDeletedStreamStartedAgainReadsOnlyTheVersionsAfterTheDeletion() throws Exception {
        String stream = newCategory() + "-1";
        deposit(stream, ExpectedVersion.noStream(), 2);
        store.client.deleteStream(stream, ExpectedVersion.any()).get(30, TimeUnit.SECONDS);
        awaitInfo(reader, stream, StreamInfo::deleted);

        AppendResult restarted = deposit(stream, ExpectedVersion.noStream(), 2);

        assertThat(restarted.firstVersion()).isEqualTo(3);
        assertThat(versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10))).containsExactly(3L, 4L);
        assertThat(reader.streamInfo(stream).orElseThrow().deleted()).isFalse();
    }

    @Test
    void aTombstonedStreamFailsToReadAsHardDeleted() throws Exception {
        String stream = newCategory() + "-1";
        deposit(stream, ExpectedVersion.noStream(), 1);

        store.client.tombstoneStream(stream, ExpectedVersion.exactly(1)).get(30, TimeUnit.SECONDS);
        awaitInfo(reader, stream, StreamInfo::tombstoned);

        assertThatThrownBy(() -> reader.readStream(stream, 1, ReadDirection.BACKWARD, 10))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.tombstoned()).isTrue());
    }

    @Test
    void aTruncatedStreamReadsFromTheTruncationAndTheIndexDropsTheRowsBeforeIt() throws Exception {
        String stream = newCategory() + "-1";
        deposit(stream, ExpectedVersion.noStream(), 5);

        store.client.truncateStream(stream, 3).get(30, TimeUnit.SECONDS);
        StreamInfo info = awaitInfo(reader, stream, i -> i.truncatedBefore() == 3);

        assertThat(versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10))).containsExactly(3L, 4L, 5L);
        assertThat(rowsOf(store.database.schema(), stream)).isEqualTo(3);
        assertThat(info.version()).isEqualTo(5);
        assertThat(info.deleted()).isFalse();
    }

    @Test
    void maxCountKeepsTheLatestEventsInReadsAndInTheIndexAsTheStreamGrows() throws Exception {
        String stream = newCategory() + "-1";
        deposit(stream, ExpectedVersion.noStream(), 5);

        store.client.setStreamMetadata(stream, StreamMetadata.none().maxCount(2)).get(30, TimeUnit.SECONDS);
        awaitInfo(reader, stream, i -> i.maxCount().isPresent());
        List<Long> afterMetadata = versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10));
        deposit(stream, ExpectedVersion.exactly(5), 1);

        assertThat(afterMetadata).containsExactly(4L, 5L);
        assertThat(versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10))).containsExactly(5L, 6L);
        assertThat(rowsOf(store.database.schema(), stream)).isEqualTo(2);
    }

    @Test
    void maxAgeHidesOlderEventsFromReadsAtOnce() throws Exception {
        String category = newCategory();
        String stream = category + "-1";
        deposit(stream, ExpectedVersion.noStream(), 2);

        store.client.setStreamMetadata(stream, StreamMetadata.none().maxAge(Duration.ofSeconds(2))).get(30, TimeUnit.SECONDS);
        StreamInfo info = awaitInfo(reader, stream, i -> i.maxAge().isPresent());
        List<Long> young = versions(reader.readStream(stream, 1, ReadDirection.FORWARD, 10));
        Thread.sleep(2_500);

        assertThat(info.maxAge()).contains(Duration.ofSeconds(2));
        assertThat(young).containsExactly(1L, 2L);
        assertThat(reader.readStream(stream, 1, ReadDirection.FORWARD, 10)).isEmpty();
        assertThat(reader.readAll(Selection.category(category), 0, ReadDirection.FORWARD, 10)).isEmpty();
    }

    @Test
    void aSubscriptionSeesTheDeletionMarkerInItsPlaceInTheStream() throws Exception {
        String category = newCategory();
        String stream = category + "-1";
        deposit(stream, ExpectedVersion.noStream(), 2);
        store.client.deleteStream(stream, ExpectedVersion.exactly(2)).get(30, TimeUnit.SECONDS);
        List<RecordedEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        try (Subscription subscription = Subscription.start(SubscriptionConfig.of(store.stack.bootstrapServers(),
                category + "-" + UUID.randomUUID()).withTopics(store.topics).withFilter(EventFilter.categories(category)), seen::add)) {
            subscription.caughtUp().get(ReaderStack.WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(seen).extracting(RecordedEvent::eventType).containsExactly("MoneyDeposited", "MoneyDeposited", "$stream-deleted");
        assertThat(seen).extracting(RecordedEvent::isStreamMarker).containsExactly(false, false, true);
        assertThat(seen.get(2).version()).isEqualTo(2);
        assertThat(seen.get(2).payload()).isEmpty();
    }

    @Test
    void anIndexRebuiltFromTheLogAgreesOnDeletionTruncationAndRetention() throws Exception {
        String category = newCategory();
        String deleted = category + "-deleted";
        String truncated = category + "-truncated";
        String capped = category + "-capped";
        String restarted = category + "-restarted";
        deposit(deleted, ExpectedVersion.noStream(), 2);
        deposit(truncated, ExpectedVersion.noStream(), 4);
        deposit(capped, ExpectedVersion.noStream(), 4);
        deposit(restarted, ExpectedVersion.noStream(), 2);
        store.client.deleteStream(deleted, ExpectedVersion.exactly(2)).get(30, TimeUnit.SECONDS);
        store.client.truncateStream(truncated, 4).get(30, TimeUnit.SECONDS);
        store.client.setStreamMetadata(capped, StreamMetadata.none().maxCount(1)).get(30, TimeUnit.SECONDS);
        store.client.deleteStream(restarted, ExpectedVersion.any()).get(30, TimeUnit.SECONDS);
        deposit(restarted, ExpectedVersion.any(), 1);
        awaitInfo(reader, deleted, StreamInfo::deleted);
        awaitInfo(reader, truncated, i -> i.truncatedBefore() == 4);
        awaitInfo(reader, capped, i -> i.maxCount().isPresent());

        String rebuiltSchema = store.database.schema() + "_rebuilt";
        IndexDatabase rebuiltDatabase = new IndexDatabase(store.stack.jdbcUrl(), store.stack.jdbcUser(), store.stack.jdbcPassword(),
                rebuiltSchema);
        try (Indexer rebuild = Indexer.start(IndexerConfig.of(store.stack.bootstrapServers(),
                new IndexDatabase(store.stack.jdbcUrl(), store.stack.jdbcUser(), store.stack.jdbcPassword(), rebuiltSchema),
                store.stack.schemaRegistryUrl()).withTopics(store.topics).withGroupId(store.topics.prefix() + "-rebuild"));
             EventReader rebuilt = new EventReader(rebuiltDatabase)) {
            awaitInfo(rebuilt, restarted, i -> i.version() == 3);

            for (String stream : List.of(deleted, truncated, capped, restarted)) {
                assertThat(rebuilt.streamInfo(stream)).as("streams row of " + stream).isEqualTo(reader.streamInfo(stream));
                assertThat(rowsOf(rebuiltSchema, stream)).as("index rows of " + stream).isEqualTo(rowsOf(store.database.schema(), stream));
            }
            assertThat(rowsOf(rebuiltSchema, truncated)).isEqualTo(1);
            assertThat(rowsOf(rebuiltSchema, capped)).isEqualTo(1);
            assertThat(versions(rebuilt.readStream(restarted, 1, ReadDirection.FORWARD, 10))).containsExactly(3L);
            assertThatThrownBy(() -> rebuilt.readStream(deleted, 1, ReadDirection.FORWARD, 10)).isInstanceOf(StreamDeletedException.class);
        }
    }
}
