package dev.eventstore.writer.gate;

import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.StoreTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the store's topics if missing, replicated as the cluster's size calls for ({@link Replication}),
 * and waits until every partition has a leader that answers, so the first appends do not race leader
 * election. Then it audits the topics as they are ({@link TopicAudit}): settings that would lose events or
 * break co-partitioning of append requests and events stop the gate; weak replication is logged loudly.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** As {@link #ensure(StoreTopics, TopicSettings)} with a replication factor given. */
    public Replication ensure(StoreTopics topics, int partitions, short replicationFactor) {
        return ensure(topics, TopicSettings.of(partitions).withReplicationFactor(replicationFactor));
    }

    /**
     * @return the replication decided, for the gate's own internal topics ({@link Replication#streamsProperties()})
     * @throws GateException when the settings or the existing topics are unsafe (the message lists every problem)
     */
    public Replication ensure(StoreTopics topics, TopicSettings settings) {
        Collection<Node> brokers = call("describing the cluster", admin.describeCluster().nodes());
        Replication replication = Replication.decide(settings, brokers.size(), brokerDefaultReplication(brokers));
        Map<String, Map<String, String>> wanted = new HashMap<>();
        wanted.put(topics.appendRequests(), Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())));
        // The log of record keeps every event forever.
        wanted.put(topics.events(), Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        wanted.put(topics.appendResults(), Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis())));
        wanted.put(topics.deadLetters(), Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        List<NewTopic> newTopics = new ArrayList<>();
        wanted.forEach((name, configs) -> {
            Map<String, String> all = new HashMap<>(configs);
            all.putAll(replication.topicConfig());
            newTopics.add(new NewTopic(name, settings.partitions(), replication.factor()).configs(all));
        });
        for (var entry : admin.createTopics(newTopics).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created topic {}: {} partitions, {} replicas, {}", entry.getKey(), settings.partitions(), replication.factor(),
                        replication.topicConfig());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new GateException("could not create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("creating topic " + entry.getKey(), e);
            }
        }
        awaitLeaders(wanted.keySet());
        TopicAudit audit = TopicAudit.of(topics, describe(wanted.keySet()), brokers.size(), replication);
        audit.warnings().forEach(warning -> log.warn("UNSAFE TOPIC: {}", warning));
        if (!audit.errors().isEmpty()) {
            throw new GateException("the store's topics are unsafe: " + String.join("; ", audit.errors()));
        }
        return replication;
    }

    /** The brokers' {@code default.replication.factor} when one of them sets it (not Kafka's own default of 1). */
    private OptionalInt brokerDefaultReplication(Collection<Node> brokers) {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokers.iterator().next().idString());
        ConfigEntry entry = call("describing broker " + broker.name(), admin.describeConfigs(List.of(broker)).all())
                .get(broker).get("default.replication.factor");
        return entry == null || entry.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG ? OptionalInt.empty()
                : OptionalInt.of(Integer.parseInt(entry.value()));
    }

    private Map<String, TopicAudit.Found> describe(Set<String> names) {
        Map<String, TopicDescription> descriptions = call("describing " + names, admin.describeTopics(names).allTopicNames());
        List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = call("describing the settings of " + names, admin.describeConfigs(resources).all());
        Map<String, TopicAudit.Found> found = new HashMap<>();
        for (ConfigResource resource : resources) {
            TopicDescription description = descriptions.get(resource.name());
            Map<String, String> config = new HashMap<>();
            configs.get(resource).entries().forEach(entry -> config.put(entry.name(), entry.value() == null ? "" : entry.value()));
            int minReplicas = description.partitions().stream().mapToInt(partition -> partition.replicas().size()).min().orElse(0);
            found.put(resource.name(), new TopicAudit.Found(description.partitions().size(), minReplicas, config));
        }
        return found;
    }

    private <T> T call(String what, KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new GateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw failure(what, e);
        }
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

    private static GateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new GateException(what + " failed: " + e, e);
    }
}
