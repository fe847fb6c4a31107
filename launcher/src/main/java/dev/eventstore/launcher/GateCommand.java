package dev.eventstore.launcher;

import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.GateException;
import dev.eventstore.writer.gate.Replication;
import dev.eventstore.writer.gate.TopicProvisioner;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The gate as a process of its own, against given servers. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Run a gate instance (the concurrency gate on Kafka Streams) until SIGTERM.",
                "Settings: schema.registry.url, schema.registry.basic.auth.user.info, topic.partitions (4),"
                        + " topic.replication.factor (3 on 3+ brokers, else 1), topic.min.insync.replicas (2 with 3+ replicas),"
                        + " gate.application.id (eventstore-gate; <prefix>-gate for another topic.prefix),"
                        + " gate.instance.id (<app id>-<host>-<state dir hash>), gate.state.dir, gate.commit.interval.ms (10),"
                        + " metrics.port (9401); and those of every role, below."})
final class GateCommand implements Callable<Integer> {

    static final int DEFAULT_METRICS_PORT = 9401;

    @Mixin
    RoleOptions role;

    @Override
    public Integer call() throws Exception {
        StoreSettings settings = role.settings();
        GateConfig config = settings.gateConfig();
        Duration startTimeout = Duration.ofSeconds(settings.getInt("startup.timeout.seconds", 60));
        return role.run("gate", DEFAULT_METRICS_PORT, meters -> {
            Replication replication = provisionTopics(settings, config, startTimeout);
            ServerChecks.atStartup(settings).registry();
            Gate gate = Gate.start(withInternalReplication(config, replication), startTimeout, meters);
            return new RunningGate(gate);
        });
    }

    /** Creates the store's topics when missing, once Kafka answers, and audits them. */
    static Replication provisionTopics(StoreSettings settings, GateConfig config, Duration startTimeout) {
        try (Admin admin = settings.admin()) {
            ServerChecks.atStartup(settings).kafka(admin);
            return new TopicProvisioner(admin, startTimeout).ensure(config.topics(), settings.topicSettings());
        }
    }

    /** The gate's changelogs replicated as the store's topics, unless the Kafka settings say otherwise. */
    static GateConfig withInternalReplication(GateConfig config, Replication replication) {
        Map<String, Object> props = new HashMap<>(replication.streamsProperties());
        props.putAll(config.kafkaProperties());
        return config.withKafkaProperties(props);
    }

    private record RunningGate(Gate gate) implements RoleRunner.Running {

        @Override
        public String description() {
            GateConfig config = gate.config();
            return "application " + config.applicationId() + ", requests from " + config.topics().appendRequests()
                    + ", state in " + config.stateDir();
        }

        @Override
        public boolean isHealthy() {
            return gate.state().isRunningOrRebalancing();
        }

        @Override
        public CompletableFuture<?> stopped() {
            return gate.stopped().thenAccept(state -> {
                if (state == KafkaStreams.State.ERROR) {
                    throw new GateException("its stream thread failed (state ERROR); see the log above");
                }
            });
        }

        @Override
        public void close() {
            gate.close();
        }
    }
}
