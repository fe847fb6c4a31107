package dev.eventstore.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Collectors;

/**
 * A KRaft cluster of real Kafka nodes, each its own OS process with its own data directory and ports,
 * every node both broker and controller (combined mode) and a voter of the same quorum. On three nodes
 * or more the internal topics are replicated three times with {@code min.insync.replicas=2}, as in
 * production, and each node can be killed, paused and restarted on its own.
 */
public final class KafkaCluster implements KafkaServer {

    private final List<KafkaBroker> nodes;

    private KafkaCluster(List<KafkaBroker> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts every node (formatting each one's storage the first time), waits until all serve, and has them
     * create Kafka's internal topics ({@link InternalTopics}) so that the first client does not wait for them.
     */
    static KafkaCluster started(Path dir, StackPorts ports) {
        int size = ports.kafka().size();
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@127.0.0.1:" + ports.controller().get(id - 1)).collect(Collectors.joining(","));
        List<KafkaBroker> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            // A single node keeps the directory of the single-broker stack, so that existing data carries over.
            Path nodeDir = size == 1 ? dir : dir.resolve("node-" + id);
            nodes.add(new KafkaBroker(nodeDir, id, ports.kafka().get(id - 1), ports.controller().get(id - 1), ports.clusterId(),
                    voters, size));
        }
        KafkaCluster cluster = new KafkaCluster(nodes);
        try {
            nodes.forEach(KafkaBroker::launch);
            cluster.onEachAtOnce(KafkaBroker::awaitReady);
            InternalTopics.create(cluster.bootstrapServers());
        } catch (RuntimeException e) {
            cluster.stop();
            throw e.getCause() instanceof LocalStackException failure ? failure : e;
        }
        return cluster;
    }

    /** Every node's address: a client finds the cluster through any that answers. */
    @Override
    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** The node with this {@code node.id} (1 to {@link #size()}). */
    public KafkaBroker node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("no kafka node " + nodeId + " in a cluster of " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    public List<KafkaBroker> nodes() {
        return nodes;
    }

    /** Stops every node at once: one by one, the last ones would wait on a quorum that is gone. */
    @Override
    public void stop() {
        onEachAtOnce(KafkaBroker::stop);
    }

    /** Runs {@code action} on every node in parallel, a thread each (they mostly wait), and waits for all. */
    private void onEachAtOnce(Consumer<KafkaBroker> action) {
        Executor threadEach = task -> new Thread(task, "kafka-cluster").start();
        CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(() -> action.accept(node), threadEach))
                .toArray(CompletableFuture[]::new)).join();
    }
}
