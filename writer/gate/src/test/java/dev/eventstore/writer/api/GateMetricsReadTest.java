package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.load.ExactVersionLoad;
import dev.eventstore.writer.load.LoadVerdict;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric a gate exposes can be read from another thread — a Prometheus scrape, Micrometer's refresh, a JMX
 * agent — while the gate commits, gives a task away, takes it back and closes. With Kafka 4.4's transactional state
 * stores, the {@code uncommitted-bytes} gauge of a store reads a RocksDB write batch that the stream thread closes at
 * every commit and at the store's close: read from another thread at that moment it crashed the whole JVM (SIGSEGV in
 * {@code WriteBatch.getDataSize}, seen at the end of a bench run). Here a crash is a forked test JVM that died.
 */
class GateMetricsReadTest {

    @TempDir
    Path stateDirs;

    @Test
    void everyMetricCanBeReadFromAnotherThreadWhileTheGateCommitsRebalancesAndCloses() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("metrics" + UUID.randomUUID().toString().substring(0, 8));
        BrokerGate.provision(stack, topics);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Gate first = Gate.start(BrokerGate.gateConfig(stack, topics, stateDirs.resolve("a")), Duration.ofSeconds(60), meters);
        MetricReader reader = new MetricReader(meters);
        reader.start();
        ExactVersionLoad load;
        List<Gate> toClose = new ArrayList<>(List.of(first));
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                .withTopics(topics).withDefaultTimeout(Duration.ofSeconds(5)))) {
            load = ExactVersionLoad.start(client, "Account-metrics", 100, 8);
            Thread.sleep(2_000);
            // A second instance takes tasks away from the first (its stores close) and gives them back when it closes.
            Gate second = Gate.start(BrokerGate.gateConfig(stack, topics, stateDirs.resolve("b")), Duration.ofSeconds(60), meters);
            toClose.add(second);
            Thread.sleep(3_000);
            second.close();
            toClose.remove(second);
            Thread.sleep(2_000);
            load.stop();
        } finally {
            toClose.forEach(Gate::close);
            reader.stop();
        }

        LoadVerdict verdict = LoadVerdict.of(load, stack.bootstrapServers(), topics.events());
        assertThat(verdict.lost()).as("acknowledged but not in the log").isZero();
        assertThat(verdict.duplicated()).as("duplicated in the log").isZero();
        assertThat(reader.rounds.get()).as("rounds of reading every meter and every Kafka Streams MBean").isGreaterThan(100);
        assertThat(reader.streamsAttributesRead.get()).as("Kafka Streams MBean attributes read").isPositive();
    }

    /** Reads every meter of the registry and every attribute of every Kafka Streams MBean, round after round. */
    private static final class MetricReader {
        private final SimpleMeterRegistry meters;
        private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong rounds = new AtomicLong();
        private final AtomicLong streamsAttributesRead = new AtomicLong();
        private final Thread thread = new Thread(this::run, "metric-reader");

        MetricReader(SimpleMeterRegistry meters) {
            this.meters = meters;
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        private void run() {
            while (running.get()) {
                for (Meter meter : meters.getMeters()) {
                    for (Measurement measurement : meter.measure()) {
                        measurement.getValue();
                    }
                }
                readStreamsMBeans();
                rounds.incrementAndGet();
            }
        }

        private void readStreamsMBeans() {
            try {
                for (ObjectName name : jmx.queryNames(new ObjectName("kafka.streams:*"), null)) {
                    try {
                        for (MBeanAttributeInfo attribute : jmx.getMBeanInfo(name).getAttributes()) {
                            jmx.getAttribute(name, attribute.getName());
                            streamsAttributesRead.incrementAndGet();
                        }
                    } catch (javax.management.InstanceNotFoundException | javax.management.AttributeNotFoundException e) {
                        // removed while being read: the metric went with its task
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
