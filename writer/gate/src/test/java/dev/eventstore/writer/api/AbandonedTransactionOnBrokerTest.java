package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate instance killed mid-transaction leaves it open: the instance taking its partitions over waits for the
 * transaction's offset commit to be settled before it starts (KIP-447), and every read_committed reader of the
 * partitions it wrote to (the clients waiting for their results among them) waits until it ends. Here such a
 * transaction is left, as a dead gate's is, with results on every result partition and the request offsets of every
 * request partition, under a transactional id of the gate's application with a process id no member has, and a
 * transaction timeout (2 minutes) far beyond the test: the gate that starts must abort it itself.
 */
class AbandonedTransactionOnBrokerTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    @Test
    void aTransactionLeftOpenByAnInstanceGoneFromTheGroupIsAbortedOnceAGateHasThePartitionsAndClientsAreAnswered() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("abandoned" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        BrokerGate.provision(stack, topics);
        String deadTransactionalId = topics.prefix() + "-gate-" + UUID.randomUUID() + "-1";
        try (KafkaProducer<String, byte[]> dead = deadGatesProducer(stack, deadTransactionalId);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            dead.initTransactions();
            dead.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> requestOffsets = new HashMap<>();
            for (int partition = 0; partition < BrokerGate.PARTITIONS; partition++) {
                dead.send(new ProducerRecord<>(topics.appendResults(), partition, "left-open", new byte[] {1})).get();
                requestOffsets.put(new TopicPartition(topics.appendRequests(), partition), new OffsetAndMetadata(0));
            }
            dead.sendOffsetsToTransaction(requestOffsets, new ConsumerGroupMetadata(topics.prefix() + "-gate"));
            assertThat(ongoing(admin)).contains(deadTransactionalId);

            long start = System.nanoTime();
            try (Gate gate = Gate.start(BrokerGate.gateConfig(stack, topics, stateDir), Duration.ofSeconds(60));
                 AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                         .withTopics(topics).withDefaultTimeout(BOUND))) {
                // The reply is read read_committed behind the open transaction: answered only once it is aborted.
                AppendResult opened = client.append("Account-abandoned", ExpectedVersion.noStream(),
                        List.of(NewEvent.of(new AccountOpened("Account-abandoned", "Ann", "EUR")))).get(BOUND.toSeconds() + 5, TimeUnit.SECONDS);
                assertThat(opened.firstVersion()).isEqualTo(1);
                assertThat(ongoing(admin)).as("open transactions after the gate started").doesNotContain(deadTransactionalId);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("abandoned transaction: the gate started and its first append was answered in " + took.toMillis() + " ms");
                assertThat(took).as("from the gate's start to its first answer").isLessThan(BOUND);
                assertThat(gate.state()).as("the gate's own transactions were left alone").isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
            }
            assertThatThrownBy(dead::commitTransaction).as("the dead instance's producer, fenced").isInstanceOf(KafkaException.class);
        }
    }

    private static KafkaProducer<String, byte[]> deadGatesProducer(LocalStack stack, String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static List<String> ongoing(Admin admin) throws Exception {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))).all()
                .get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
    }
}
