package dev.eventstore.writer.gate;

import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.StoreTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the store's topics if missing and waits until every partition has a leader that answers,
 * so the first appends do not race leader election. Refuses existing topics whose partition counts
 * break co-partitioning of append requests and events.
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public void ensure(StoreTopics topics, int partitions, short replicationFactor) {
        Map<String, Map<String, String>> wanted = new HashMap<>();
        wanted.put(topics.appendRequests(), Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())));
        // The log of record keeps every event forever.
        wanted.put(topics.events(), Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        wanted.put(topics.appendResults(), Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis())));
        wanted.put(topics.deadLetters(), Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        List<NewTopic> newTopics = new ArrayList<>();
        wanted.forEach((name, configs) -> newTopics.add(new NewTopic(name, partitions, replicationFactor).configs(configs)));
        for (var entry : admin.createTopics(newTopics).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new GateException("could not create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("creating topic " + entry.getKey(), e);
            }
        }
        awaitLeaders(wanted.keySet());
        requireCoPartitioned(topics);
    }

    private void awaitLeaders(Set<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                boolean allLed = true;
                for (TopicDescription description : descriptions.values()) {
                    for (TopicPartitionInfo partition : description.partitions()) {
                        allLed &= partition.leader() != null && !partition.leader().isEmpty();
                        partitions.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
                    }
                }
                if (allLed) {
                    // A leader that answers a list-offsets request is ready to take writes.
                    admin.listOffsets(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new GateException("topics " + names + " have no ready leaders: " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("waiting for leaders of " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new GateException("topics " + names + " have no leaders after " + timeout);
            }
            if (!Pause.sleep(Duration.ofMillis(100))) {
                throw new GateException("interrupted while waiting for the topics");
            }
        }
    }

    private void requireCoPartitioned(StoreTopics topics) {
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(List.of(topics.appendRequests(), topics.events()))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int requests = descriptions.get(topics.appendRequests()).partitions().size();
            int events = descriptions.get(topics.events()).partitions().size();
            if (requests != events) {
                throw new GateException(topics.appendRequests() + " has " + requests + " partitions but " + topics.events()
                        + " has " + events + ": they must be equal, a stream's versions are decided on its events' partition");
            }
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw failure("describing " + topics, e);
        }
    }

    private static GateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new GateException(what + " failed: " + e, e);
    }
}
