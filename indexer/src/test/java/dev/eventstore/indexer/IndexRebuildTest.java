package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IndexRebuildTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void aRebuiltIndexEqualsTheIncrementalOneAndTheLiveIndexerCarriesOnAfterTheSwap() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer live = Indexer.start(log.indexerConfig())) {
            log.append(100, 5_000);
            log.awaitIndexed(5_000, WAIT);
            List<String> incremental = contents(log, log.indexSchema);
            List<IndexRebuild.Progress> progress = new CopyOnWriteArrayList<>();

            IndexRebuild.Result result = IndexRebuild.run(log.indexerConfig(), progress::add, WAIT);

            assertThat(result.schema()).isEqualTo(log.indexSchema);
            assertThat(result.indexed()).isEqualTo(5_000);
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).indexed()).isEqualTo(5_000);
            assertThat(contents(log, log.indexSchema)).containsExactlyElementsOf(incremental);
            assertThat(contents(log, result.previousSchemaKeptAs())).containsExactlyElementsOf(incremental);

            log.append(100, 1_000);
            log.awaitIndexed(6_000, WAIT);
            Thread.sleep(500);
            assertThat(log.indexedCount()).isEqualTo(6_000);
            log.assertIndexEqualsLog();
        }
    }

    @Test
    void aRebuildFromATopicThatDoesNotExistIsRefusedAndTheLiveIndexKeepsServing() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer live = Indexer.start(log.indexerConfig())) {
            log.append(10, 200);
            log.awaitIndexed(200, WAIT);
            List<String> before = contents(log, log.indexSchema);
            StoreTopics wrongPrefix = new StoreTopics(log.topics.prefix() + "x");

            assertThatThrownBy(() -> IndexRebuild.run(log.indexerConfig().withTopics(wrongPrefix), progress -> { }, WAIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(wrongPrefix.events()).hasMessageContaining("the live index is untouched");

            assertThat(contents(log, log.indexSchema)).containsExactlyElementsOf(before);
            assertThat(schemasLike(log, log.indexSchema + "_%")).isEmpty();
        }
    }

    private static List<String> schemasLike(EventLogFixture log, String pattern) throws Exception {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = log.connect();
             var statement = connection.prepareStatement("SELECT nspname FROM pg_namespace WHERE nspname LIKE ?")) {
            statement.setString(1, pattern);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    schemas.add(result.getString(1));
                }
            }
        }
        return schemas;
    }

    /** Everything but positions and indexing times, in a stable order. */
    private static List<String> contents(EventLogFixture log, String schema) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = log.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT stream_id, version, category, event_type, event_id, schema_id,"
                     + " md5(payload), data::text, metadata::text, kafka_partition, kafka_offset, recorded_at FROM " + schema
                     + ".events ORDER BY stream_id, version")) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 12; i++) {
                    row.append(result.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
