package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.load.ExactVersionLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate stopped gracefully and started again while the other appended: it joins as a new member whose state is
 * behind, so Kafka Streams leaves its partitions with the other gate and warms its state up. It must get its share
 * back at the next probing rebalance, within a minute and a half (Streams' own interval, ten minutes, fails this).
 */
class RestartedGateTest {

    /** The probing interval (a minute) plus the warm-up and the rebalance, with room for a loaded machine. */
    private static final Duration TAKES_PARTITIONS_BACK = Duration.ofSeconds(100);

    @TempDir
    Path stateDirs;

    @Test
    void aGateRestartedWithItsStateBehindTakesItsShareOfThePartitionsBackWithinTheProbingInterval() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("restart" + UUID.randomUUID().toString().substring(0, 8));
        BrokerGate.provision(stack, topics);
        // A lag of 100 records makes the restarted state "behind" (Streams: 10,000), which a few seconds of even a slow
        // machine's appends pass: the test does not depend on this machine's rate. (Not 0: under exactly-once the
        // changelogs end with a commit marker, which no store's position ever reaches.)
        Map<String, Object> behindAtOnce = Map.of("acceptable.recovery.lag", 100L);
        GateConfig configA = BrokerGate.gateConfig(stack, topics, stateDirs.resolve("a")).withKafkaProperties(behindAtOnce);
        GateConfig configB = BrokerGate.gateConfig(stack, topics, stateDirs.resolve("b")).withKafkaProperties(behindAtOnce);
        List<Gate> gates = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
             AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                     .withTopics(topics).withDefaultTimeout(Duration.ofSeconds(5)))) {
            gates.add(Gate.start(configA, Duration.ofSeconds(60)));
            Gate second = Gate.start(configB, Duration.ofSeconds(60));
            gates.add(second);
            assertThat(awaitOwners(admin, configA.applicationId(), topics.appendRequests(), Duration.ofSeconds(60)))
                    .as("request partitions' owners before the restart").hasSize(2);

            ExactVersionLoad load = ExactVersionLoad.start(client, "Account-restart", 100, 8);
            int beforeDown;
            int afterDown;
            try {
                Thread.sleep(2_000);
                second.close();
                gates.remove(second);
                beforeDown = load.acknowledged();
                Thread.sleep(3_000);
                afterDown = load.acknowledged();
                gates.add(Gate.start(configB, Duration.ofSeconds(60)));
                Thread.sleep(2_000);
            } finally {
                load.stop();
            }
            assertThat(afterDown).as("appends while the second gate was down").isGreaterThan(beforeDown);
            assertThat(load.errorsByType()).doesNotContainKey("WrongExpectedVersionException");

            long restarted = System.nanoTime();
            Set<String> owners = awaitOwners(admin, configA.applicationId(), topics.appendRequests(), TAKES_PARTITIONS_BACK);
            System.out.printf("restarted gate: %d gates own request partitions %.1f s after the load stopped%n", owners.size(),
                    (System.nanoTime() - restarted) / 1e9);
            assertThat(owners).as("members owning request partitions %s after the restart", TAKES_PARTITIONS_BACK).hasSize(2);
        } finally {
            gates.forEach(Gate::close);
        }
    }

    /** The members owning request partitions, once two do or {@code timeout} passed. */
    private static Set<String> awaitOwners(Admin admin, String groupId, String requestTopic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> owners = new TreeSet<>();
        while (owners.size() < 2 && System.nanoTime() - deadline < 0) {
            Thread.sleep(500);
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(10, TimeUnit.SECONDS);
            owners.clear();
            for (MemberDescription member : group.members()) {
                if (member.assignment().topicPartitions().stream().map(TopicPartition::topic).anyMatch(requestTopic::equals)) {
                    owners.add(member.consumerId());
                }
            }
        }
        return owners;
    }
}
