package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AbandonedTransactions} tells a transaction's process and a group member's process from ids that Kafka
 * Streams makes itself ({@code <application id>-<process id>-<thread index>}, and
 * {@code <application id>-<process id>-StreamThread-<n>-consumer}): formats of its implementation, not of its API. Read
 * here from a running gate of two stream threads, so that a Kafka upgrade that changes either fails this test instead
 * of turning the fence off in silence (an abandoned transaction would then end only at its timeout).
 */
class StreamsIdFormatsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void theFenceReadsTheProcessOfARunningGatesTransactionalIdsAndOfItsMembersClientIds() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("idformats" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        String applicationId = topics.prefix() + "-gate";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, 4, (short) 1);
            GateConfig config = GateConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics)
                    .withApplicationId(applicationId).withStateDir(stateDir)
                    .withKafkaProperties(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2));
            try (Gate gate = Gate.start(config, WAIT)) {
                List<TransactionListing> transactions = transactionsOf(admin, applicationId, 2);
                Set<String> members = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId).get()
                        .members().stream().map(MemberDescription::clientId).collect(Collectors.toSet());
                assertThat(members).hasSize(2);

                assertThat(AbandonedTransactions.abandoned(applicationId, transactions, members))
                        .as("members %s read as the process of transactions %s", members, transactions)
                        .isEqualTo(Optional.of(Set.of()));
                assertThat(AbandonedTransactions.abandoned(applicationId, transactions, List.of()))
                        .as("with no member left, each of the gate's transactional ids is read as an abandoned process's")
                        .isEqualTo(Optional.of(transactions.stream().map(TransactionListing::transactionalId).collect(Collectors.toSet())));
            }
        }
    }

    /** The transactional ids of the application's stream threads, once each of its {@code threads} has one. */
    private static List<TransactionListing> transactionsOf(Admin admin, String applicationId, int threads) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Collection<TransactionListing> all = admin.listTransactions().all().get();
            List<TransactionListing> ours = all.stream().filter(t -> t.transactionalId().startsWith(applicationId + "-")).toList();
            if (ours.size() >= threads) {
                return ours;
            }
            assertThat(System.nanoTime()).as("transactional ids of %s: %s", applicationId, ours).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
