package dev.eventstore.writer.gate;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a replaced stream thread's member out of the gate's consumer group. Kafka Streams (4.4) closes the
 * consumer of a thread it replaces without leaving the group, and a static member ({@link Failover}) stays
 * until its session times out: the rebalance that the replacement thread's joining starts waits for it, and
 * every gate of the group stops deciding until then. Measured on three brokers, one of them paused for 30 s:
 * a gate's transaction aborted, its thread replaced, both gates rebalancing for 16 s, 26.6 s without an
 * acknowledgement (ClusterFaultsTest). Once the dead thread has ended, its member is removed by its group
 * instance id, as {@code KafkaStreams#removeStreamThread} does for a thread removed on purpose.
 */
final class ReplacedThreadMember {

    private static final Logger log = LoggerFactory.getLogger(ReplacedThreadMember.class);
    private static final Duration WAIT_FOR_THE_END = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL = Duration.ofSeconds(30);
    private static final int ATTEMPTS = 3;

    private ReplacedThreadMember() {}

    /**
     * Removes the member of {@code dead} (a stream thread being replaced, this one when called from the
     * uncaught exception handler) from {@code groupId} once it has ended, on a thread of its own, with an admin
     * client configured as Streams configures its own from {@code streamsProperties}.
     */
    static void removeOnceEnded(Thread dead, KafkaStreams streams, Properties streamsProperties, String groupId) {
        Thread remover = new Thread(() -> remove(dead, streams, streamsProperties, groupId), dead.getName() + "-member-removal");
        remover.setDaemon(true);
        remover.start();
    }

    private static void remove(Thread dead, KafkaStreams streams, Properties streamsProperties, String groupId) {
        long start = System.nanoTime();
        try {
            dead.join(WAIT_FOR_THE_END.toMillis());
            if (dead.isAlive()) {
                log.warn("Stream thread {} has not ended within {}; its member leaves the group {} at its session timeout",
                        dead.getName(), WAIT_FOR_THE_END, groupId);
                return;
            }
            Map<String, Object> adminConfigs = GateStreams.adminConfigs(streamsProperties, dead.getName() + "-member-removal");
            try (Admin admin = Admin.create(adminConfigs)) {
                // The broker that hung may still be the group's coordinator: an admin call to it fails after its API
                // timeout, and the next finds the coordinator that took over.
                for (int attempt = 1; ; attempt++) {
                    try {
                        removeOnce(admin, dead, streams, groupId).ifPresent(instanceId -> log.info(
                                "Removed the member {} of the replaced stream thread {} from the group {}, {} ms after the thread was replaced",
                                instanceId, dead.getName(), groupId, Duration.ofNanos(System.nanoTime() - start).toMillis()));
                        return;
                    } catch (ExecutionException | TimeoutException e) {
                        if (attempt == ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Could not remove the member of the replaced stream thread {} from the group {}; it leaves at its"
                    + " session timeout: {}", dead.getName(), groupId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The removed member's group instance id; empty when the dead thread has none in the group (any more). */
    private static Optional<String> removeOnce(Admin admin, Thread dead, KafkaStreams streams, String groupId)
            throws ExecutionException, TimeoutException, InterruptedException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
        Optional<String> instanceId = memberToRemove(group.members(), dead.getName(), liveThreadNames(streams));
        if (instanceId.isEmpty()) {
            return Optional.empty();
        }
        MemberToRemove member = new MemberToRemove(instanceId.get());
        admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(List.of(member)))
                .memberResult(member).get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
        return instanceId;
    }

    /**
     * The group instance id of the static member whose consumer is the dead thread's, unless a live thread has the
     * dead one's name: Kafka Streams gives a new thread the lowest index no live thread has, so once the dead thread
     * has ended, a later replacement may take its name, its consumer's client id and its group instance id; that
     * member is the live thread's and stays.
     */
    static Optional<String> memberToRemove(Collection<MemberDescription> members, String deadThreadName, Set<String> liveThreadNames) {
        if (liveThreadNames.contains(deadThreadName)) {
            return Optional.empty();
        }
        // Kafka Streams names a stream thread's consumer after the thread.
        String clientId = deadThreadName + "-consumer";
        for (MemberDescription member : members) {
            if (member.clientId().equals(clientId) && member.groupInstanceId().isPresent()) {
                return member.groupInstanceId();
            }
        }
        return Optional.empty();
    }

    private static Set<String> liveThreadNames(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toSet());
    }
}
