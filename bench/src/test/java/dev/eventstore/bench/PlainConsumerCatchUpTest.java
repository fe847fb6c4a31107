package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** W5's plain consumer on the shared stack's broker: it counts committed records only, as the subscription does. */
class PlainConsumerCatchUpTest {

    @Test
    void readsEveryCommittedRecordFromTheFirstAndNoneOfAnAbortedTransaction() throws Exception {
        LocalStack stack = LocalStack.shared();
        String topic = "plain-catch-up-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, ("stream-" + i % 10).getBytes(), new byte[100]));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, ("stream-" + i).getBytes(), new byte[100]));
            }
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(PlainConsumerCatchUp.read(stack.bootstrapServers(), topic, 1_000, Duration.ofSeconds(60)).events()).isEqualTo(1_000);
        assertThatThrownBy(() -> PlainConsumerCatchUp.read(stack.bootstrapServers(), topic, 1_001, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the plain consumer saw 1000 of 1001 records");
    }
}
