package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 22: what PostgreSQL cannot hold as it is (U+0000 in jsonb or text) never stops the index. */
class UnstorablePayloadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEventWhoseStringHoldsNulIsIndexedWithoutItsJsonFlaggedAndTheEventsBehindItAreIndexed() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig().withDataJson(true), meters)) {
            // Given the event of the issue (valid Avro, acknowledged by the gate), then normal events on fresh streams
            String nul = log.appendOne(new MoneyDeposited("a\u0000b", 5L), Map.of());
            log.append(12, 12);

            // Then every event is indexed, the NUL event with its bytes, stream and version intact
            log.awaitIndexed(13, WAIT);
            log.assertIndexEqualsLog();
            assertThat(indexer.isRunning()).isTrue();
            Row row = row(log, nul);
            assertThat(row.data).as("the JSON form jsonb cannot hold").isNull();
            assertThat(row.degraded).isEqualTo("data left out: the string at $.accountId holds U+0000, which jsonb cannot store");
            assertThat(log.decodePayload(row.payload)).isEqualTo(new MoneyDeposited("a\u0000b", 5L));
            assertThat(indexer.degradedEvents()).isEqualTo(1);
            assertThat(meters.get("eventstore.indexer.degraded.events").functionCounter().count()).isEqualTo(1);
        }
    }

    @Test
    void metadataAndEnvelopeTextHoldingNulAreStoredEscapedAndFlagged() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig().withDataJson(true))) {
            String stream = log.appendOne(new MoneyDeposited("fine", 5L),
                    Map.of(EnvelopeHeaders.CORRELATION_ID, "c\u0000d", "tenant", "x\u0000y"));
            log.append(3, 3);

            log.awaitIndexed(4, WAIT);
            log.assertIndexEqualsLog();
            Row row = row(log, stream);
            assertThat(JSON.readTree(row.data).get("accountId").asText()).isEqualTo("fine");
            assertThat(row.correlationId).isEqualTo("c\\u0000d");
            assertThat(JSON.readTree(row.metadata).get("tenant").asText()).isEqualTo("x\\u0000y");
            assertThat(row.degraded).contains("es.correlation-id holds U+0000, stored as \\u0000")
                    .contains("metadata tenant holds U+0000, stored as \\u0000");
            assertThat(indexer.degradedEvents()).isEqualTo(1);
        }
    }

    @Test
    void aHeaderThatIsNotValidUtf8IsStoredWithReplacementCharactersAndFlagged() throws Exception {
        try (EventLogFixture log = new EventLogFixture(LocalStack.shared()); Indexer indexer = Indexer.start(log.indexerConfig().withDataJson(true))) {
            String stream = log.appendOneWithRawHeaders(new MoneyDeposited("fine", 5L), Map.of(
                    EnvelopeHeaders.CORRELATION_ID, new byte[] {'c', (byte) 0xC3, 'd'},
                    "note", "a\uFFFDb".getBytes(java.nio.charset.StandardCharsets.UTF_8))); // a genuine U+FFFD: no flag

            log.awaitIndexed(1, WAIT);
            Row row = row(log, stream);
            assertThat(row.correlationId).isEqualTo("c\uFFFDd");
            assertThat(row.degraded).isEqualTo("es.correlation-id is not valid UTF-8, stored with U+FFFD for its invalid bytes");
            assertThat(JSON.readTree(row.metadata).get("note").asText()).isEqualTo("a\uFFFDb");
        }
    }

    private record Row(String data, String metadata, String correlationId, String degraded, byte[] payload) {}

    private static Row row(EventLogFixture log, String stream) throws Exception {
        try (Connection connection = log.connect(); PreparedStatement select = connection.prepareStatement(
                "SELECT data::text, metadata::text, correlation_id, degraded, payload FROM " + log.indexSchema
                        + ".events WHERE stream_id = ? AND version = 1")) {
            select.setString(1, stream);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("%s is indexed", stream).isTrue();
                return new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getBytes(5));
            }
        }
    }
}
