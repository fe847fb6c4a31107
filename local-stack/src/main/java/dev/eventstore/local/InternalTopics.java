package dev.eventstore.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Kafka's own topics behind the group and transaction coordinators ({@code __consumer_offsets},
 * {@code __transaction_state}), created before the stack reports ready. A broker creates them only when a
 * client first looks for a coordinator, so on a fresh cluster the first gate (or any first transactional
 * or grouped client) would otherwise wait while they are created, replicated and their leaders elected.
 */
final class InternalTopics {

    static final List<String> NAMES = List.of("__consumer_offsets", "__transaction_state");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String PROBE_ID = "eventstore-local-stack-start";

    private InternalTopics() {}

    /** Has the brokers create both topics and waits until every partition is led with all its replicas in sync. */
    static void create(String bootstrapServers) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000))) {
            while (true) {
                // Looking a coordinator up is what makes a broker create the topic behind it; the group and the
                // transactional id need not exist (an unknown transactional id is an error, and expected).
                lookUpCoordinators(admin);
                if (allInSync(admin)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new LocalStackException("Kafka's internal topics " + NAMES + " were not created and led within " + TIMEOUT);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while creating Kafka's internal topics", e);
        }
    }

    private static void lookUpCoordinators(Admin admin) throws InterruptedException {
        try {
            admin.describeConsumerGroups(List.of(PROBE_ID)).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException notYet) {
            // the coordinator is not available yet: asked again on the next round
        }
        try {
            admin.describeTransactions(List.of(PROBE_ID)).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException expected) {
            // TransactionalIdNotFound once the coordinator answers; before that, not available yet
        }
    }

    private static boolean allInSync(Admin admin) throws InterruptedException {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(NAMES).allTopicNames().get(20, TimeUnit.SECONDS);
            return topics.values().stream().flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && partition.isr().size() == partition.replicas().size());
        } catch (ExecutionException | TimeoutException notYet) {
            return false; // not created yet
        }
    }
}
