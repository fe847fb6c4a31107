package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.writer.load.LoadVerdict;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The log and the index as sets of {@code stream/version/event id}, to check that the index equals the log. */
final class LogIndexCheck {

    private static final Duration INDEX_WAIT = Duration.ofSeconds(120);

    private LogIndexCheck() {}

    /** Every event of the events topic (read_committed); an event twice in the log fails. */
    static Set<String> eventsInLog(LocalStack stack, String eventsTopic) {
        Set<String> events = new HashSet<>();
        for (Collection<ConsumerRecord<String, byte[]>> stream : LoadVerdict.readLog(stack.bootstrapServers(), eventsTopic).values()) {
            for (ConsumerRecord<String, byte[]> event : stream) {
                String row = event.key() + "/" + EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.VERSION) + "/"
                        + EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.EVENT_ID);
                assertThat(events.add(row)).as("event %s once in the log", row).isTrue();
            }
        }
        return events;
    }

    /** The index's rows once it holds at least {@code expected} of them (or the wait is over); duplicates fail. */
    static Set<String> awaitIndexOf(LocalStack stack, String indexSchema, int expected) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + INDEX_WAIT.toNanos();
        try (Connection connection = stack.connectToDatabase();
             Statement select = connection.createStatement()) {
            while (true) {
                Set<String> rows = new HashSet<>();
                int count = 0;
                try (ResultSet result = select.executeQuery("SELECT stream_id, version, event_id FROM " + indexSchema + ".events")) {
                    while (result.next()) {
                        rows.add(result.getString(1) + "/" + result.getLong(2) + "/" + result.getString(3));
                        count++;
                    }
                }
                assertThat(count).as("index rows are unique").isEqualTo(rows.size());
                if (count >= expected || System.nanoTime() > deadline) {
                    return rows;
                }
                Thread.sleep(200);
            }
        }
    }
}
