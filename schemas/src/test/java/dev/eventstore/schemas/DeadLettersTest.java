package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The producer is made on the first park; parking and closing before and after need no broker to be right. */
class DeadLettersTest {

    @Test
    void aReaderThatParksNothingNeverConnectsAndClosesCleanly() {
        // Nothing listens on port 1: a producer made at construction would try it, and its metadata wait would fail a send.
        DeadLetters deadLetters = new DeadLetters("localhost:1", "dead-letters", Map.of());
        assertThatCode(deadLetters::close).doesNotThrowAnyException();
        assertThatCode(deadLetters::close).as("closing twice").doesNotThrowAnyException();
    }

    @Test
    void parkingAfterTheCloseIsRefusedSoTheCallerDoesNotMovePastTheRecord() {
        DeadLetters deadLetters = new DeadLetters("localhost:1", "dead-letters", Map.of());
        deadLetters.close();
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events", 0, 7, new byte[] {1}, new byte[] {2});
        assertThatThrownBy(() -> deadLetters.send(record, "poison")).isInstanceOf(KafkaException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aProducerSettingThatCannotWorkFailsAtOnceNotAtTheFirstPark() {
        assertThatThrownBy(() -> new DeadLetters("localhost:1", "dead-letters", Map.of("acks", "not-a-number")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acks");
    }
}
