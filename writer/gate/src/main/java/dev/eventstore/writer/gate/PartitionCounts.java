package dev.eventstore.writer.gate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * How many partitions the append-requests and append-results topics have: the gate checks that a
 * stream's request arrived on the stream's own partition and that its reply partition exists.
 */
public record PartitionCounts(int requests, int results) {

    public PartitionCounts {
        if (requests < 1 || results < 1) {
            throw new IllegalArgumentException("partition counts must be positive: " + requests + ", " + results);
        }
    }

    /**
     * Asks the cluster. Read once at start: adding partitions to a store topic moves streams to other
     * partitions and is not supported while the store runs.
     *
     * @throws GateException when the topics cannot be described (missing, or the cluster unreachable)
     */
    static PartitionCounts of(GateConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        String requests = config.topics().appendRequests();
        String results = config.topics().appendResults();
        try (Admin admin = Admin.create(props)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(requests, results)).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            return new PartitionCounts(topics.get(requests).partitions().size(), topics.get(results).partitions().size());
        } catch (ExecutionException | TimeoutException e) {
            throw new GateException("could not describe " + requests + " and " + results + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GateException("interrupted while describing the store topics", e);
        }
    }

    /** One of each, as in the topology test driver. */
    public static PartitionCounts single() {
        return new PartitionCounts(1, 1);
    }
}
