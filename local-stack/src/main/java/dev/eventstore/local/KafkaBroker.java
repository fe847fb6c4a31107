package dev.eventstore.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Kafka node (KRaft, combined broker and controller) in a child JVM, so that it can be stopped,
 * killed, paused and restarted on the same data and port like a production broker. Alone it is a
 * single-node cluster; in a {@link KafkaCluster} every node is a voter of the same quorum.
 */
public final class KafkaBroker implements KafkaServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The parallel collector on a fixed young generation of 48 MB. The broker allocates some 55 MB a second at 5,000
     * appends/s, and the serial collector stopped it 20 ms at each young collection (47 stops in 30 s, some of 40–160
     * ms); the parallel one stops it 6–7 ms. A 384 MB young generation made the stops rarer but longer (63 ms every
     * 6 s), and G1 with a 20 ms goal stopped it 21 ms (BENCHMARKS.md, Knobs).
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-Xmn48m", "-XX:+UseParallelGC");

    private final Path dir;
    private final int nodeId;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final String voters;
    private final int clusterSize;
    private ChildJvm jvm;

    KafkaBroker(Path dir, int port, int controllerPort, String clusterId) {
        this(dir, 1, port, controllerPort, clusterId, "1@127.0.0.1:" + controllerPort, 1);
    }

    /**
     * @param voters {@code controller.quorum.voters}: every node of the cluster, {@code id@host:port}
     * @param clusterSize how many nodes the cluster has: sets the replication of the internal topics
     */
    KafkaBroker(Path dir, int nodeId, int port, int controllerPort, String clusterId, String voters, int clusterSize) {
        this.dir = dir;
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.voters = voters;
        this.clusterSize = clusterSize;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The node's id in the cluster ({@code node.id}), as Kafka's metadata names it. */
    public int nodeId() {
        return nodeId;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it serves requests. */
    public synchronized void start() {
        launch();
        awaitReady();
    }

    /**
     * Starts the process without waiting: the nodes of a cluster must all be launched before any can be
     * ready, since a node serves only once a majority of the quorum is up.
     */
    synchronized void launch() {
        if (jvm != null && jvm.isAlive()) {
            return;
        }
        Path config = writeConfig();
        jvm = ChildJvm.start("kafka broker " + nodeId, ChildJvm.currentClassPath(), JVM_OPTIONS,
                BrokerMain.class.getName(), List.of(config.toString(), dir.resolve("logs").toString(), clusterId),
                dir.resolve("broker.log"));
    }

    /** Stops gracefully (SIGTERM): the broker flushes and closes its logs. */
    @Override
    public synchronized void stop() {
        if (jvm != null && jvm.isAlive()) {
            jvm.signal("CONT"); // a paused node would not see SIGTERM until the timeout's SIGKILL
            jvm.stop(30);
        }
    }

    /** Kills the broker (SIGKILL), as in a crash. */
    public synchronized void kill() {
        if (jvm != null) {
            jvm.kill();
        }
    }

    public synchronized boolean isRunning() {
        return jvm != null && jvm.isAlive();
    }

    /** SIGSTOP: the process freezes as a hung or cut-off node does; its connections stay open. */
    public synchronized void pause() {
        requireRunning().signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        requireRunning().signal("CONT");
    }

    private ChildJvm requireRunning() {
        if (jvm == null || !jvm.isAlive()) {
            throw new IllegalStateException("kafka node " + nodeId + " is not running");
        }
        return jvm;
    }

    private Path writeConfig() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.resolve("logs").toString());
        props.put("num.partitions", "1");
        // On three nodes or more, as in production: every internal topic (consumer offsets, transaction
        // state) on three replicas, and a write acknowledged by two of them (min.insync.replicas is also
        // the default of the offsets topic and of topics created without one).
        String replicas = Integer.toString(Math.min(clusterSize, 3));
        String minIsr = clusterSize >= 3 ? "2" : "1";
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minIsr);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minIsr);
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minIsr);
        props.put("group.initial.rebalance.delay.ms", "0");
        // Streams groups (KIP-1071, a gate with group.protocol=streams) take their session, heartbeat and
        // standby replicas from the brokers: the gate's own failover settings (Kafka: 45 s, 5 s, none).
        props.put("group.streams.initial.rebalance.delay.ms", "0");
        props.put("group.streams.min.session.timeout.ms", "10000");
        props.put("group.streams.session.timeout.ms", "10000");
        props.put("group.streams.min.heartbeat.interval.ms", "3000");
        props.put("group.streams.heartbeat.interval.ms", "3000");
        props.put("group.streams.num.standby.replicas", "1");
        // Kafka's own 10 s check for timed-out transactions, as on the clusters users run: a transaction a killed
        // gate left open is aborted by the gate that takes its partitions over, not by this check.
        if (clusterSize > 1) {
            // How long a hung broker (a paused process, a cut-off machine: its connections stay open) holds
            // things up. The controller fences a broker that misses its heartbeats this long and moves its
            // leadership (Kafka: 9 s); every client's retry before that goes back to the hung broker.
            props.put("broker.session.timeout.ms", "5000");
            props.put("broker.heartbeat.interval.ms", "1000");
            // A broker's own requests to another (transaction markers, the check that a partition is in a
            // transaction) wait this long on a hung peer before they look for the partition's new leader: at
            // Kafka's 30 s, a paused broker stalled every gate's commits for the whole 30 s (ClusterFaultsTest).
            props.put("request.timeout.ms", "5000");
        }
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config)) {
                props.store(out, "written by the eventstore local stack");
            }
            return config;
        } catch (IOException e) {
            throw new LocalStackException("could not write the broker's configuration in " + dir, e);
        }
    }

    /** Waits until this node is registered with the cluster and serves requests. */
    void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!jvm.isAlive()) {
                    throw new LocalStackException("kafka node " + nodeId + " exited during start; see " + dir.resolve("broker.log"));
                }
                try {
                    // Listed once the controller has registered and unfenced it: only then does it lead partitions.
                    if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == nodeId)) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    jvm.kill();
                    throw new LocalStackException("kafka node " + nodeId + " was not ready within " + READY_TIMEOUT + "; see "
                            + dir.resolve("broker.log"));
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while starting the kafka broker", e);
        }
    }
}
