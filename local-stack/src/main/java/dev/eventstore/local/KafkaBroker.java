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
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM, so that it
 * can be stopped, killed and restarted on the same data and port like a production broker.
 */
public final class KafkaBroker implements KafkaServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private ChildJvm jvm;

    KafkaBroker(Path dir, int port, int controllerPort, String clusterId) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    static KafkaBroker started(Path dir, int port, int controllerPort, String clusterId) {
        KafkaBroker broker = new KafkaBroker(dir, port, controllerPort, clusterId);
        broker.start();
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it serves requests. */
    public synchronized void start() {
        if (jvm != null && jvm.isAlive()) {
            return;
        }
        Path config = writeConfig();
        jvm = ChildJvm.start("kafka broker", ChildJvm.currentClassPath(), List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC"),
                BrokerMain.class.getName(), List.of(config.toString(), dir.resolve("logs").toString(), clusterId),
                dir.resolve("broker.log"));
        awaitReady();
    }

    /** Stops gracefully (SIGTERM): the broker flushes and closes its logs. */
    @Override
    public synchronized void stop() {
        if (jvm != null) {
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

    private Path writeConfig() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.resolve("logs").toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
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

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!jvm.isAlive()) {
                    throw new LocalStackException("the kafka broker exited during start; see " + dir.resolve("broker.log"));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    jvm.kill();
                    throw new LocalStackException("the kafka broker was not ready within " + READY_TIMEOUT + "; see "
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
