package dev.eventstore.launcher.failover;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Which gates of the group own request partitions. A gate restarted after a graceful stop rejoins as a new member,
 * and Kafka Streams' assignor may leave it standby tasks only (its state behind the changelog) until a later probing
 * rebalance: killing it then stops nothing, and the window measured (0.1-0.3 s) says nothing of a failover.
 */
final class PartitionOwners implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final String requestTopic;

    PartitionOwners(String bootstrapServers, String groupId, String requestTopic) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.groupId = groupId;
        this.requestTopic = requestTopic;
    }

    /** Waits until {@code gates} members each own a request partition; false when they do not within {@code timeout}. */
    boolean awaitEveryGateOwningPartitions(int gates, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (everyGateOwnsPartitions(gates)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private boolean everyGateOwnsPartitions(int gates) throws InterruptedException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(10, TimeUnit.SECONDS);
            List<MemberDescription> owners = group.members().stream()
                    .filter(member -> member.assignment().topicPartitions().stream().anyMatch(p -> p.topic().equals(requestTopic)))
                    .toList();
            return owners.size() >= gates;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
