package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.gate.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gate instances share the partitions under load; one stops and starts again (two rebalances, its
 * state restored from the changelog). Every acknowledged append must be in the log exactly once, and
 * every stream's versions gapless.
 */
class GateFailoverTest {

    private static final int STREAMS = 200;
    private static final int WRITERS = 24;

    @TempDir
    Path stateDirs;

    @Test
    void stoppingAndRestartingOneOfTwoGateInstancesUnderLoadLosesAndDuplicatesNothing() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("failover" + UUID.randomUUID().toString().substring(0, 8));
        BrokerGate.provision(stack, topics);
        Gate first = Gate.start(BrokerGate.gateConfig(stack, topics, stateDirs.resolve("a")), Duration.ofSeconds(60));
        Gate second = Gate.start(BrokerGate.gateConfig(stack, topics, stateDirs.resolve("b")), Duration.ofSeconds(60));
        Map<String, Map<Long, UUID>> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Gate> toClose = new ArrayList<>(List.of(first));
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                .withTopics(topics).withDefaultTimeout(Duration.ofSeconds(5)))) {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                List<String> mine = new ArrayList<>();
                for (int s = w; s < STREAMS; s += WRITERS) {
                    mine.add("Account-failover-" + s + "-" + UUID.randomUUID());
                }
                writers.add(pool.submit(() -> load(client, mine, loading, acknowledged, retries, conflicts)));
            }

            Thread.sleep(3_000);
            second.close();
            Thread.sleep(3_000);
            Gate restarted = Gate.start(BrokerGate.gateConfig(stack, topics, stateDirs.resolve("b")), Duration.ofSeconds(60));
            toClose.add(restarted);
            Thread.sleep(3_000);
            loading.set(false);
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
        } finally {
            toClose.forEach(Gate::close);
        }

        Map<String, List<ConsumerRecord<String, byte[]>>> log = BrokerGate.readLog(stack, topics);
        int acked = 0;
        int lost = 0;
        int duplicated = 0;
        int gaps = 0;
        for (var stream : acknowledged.entrySet()) {
            List<ConsumerRecord<String, byte[]>> events = log.getOrDefault(stream.getKey(), List.of());
            Map<Long, UUID> present = new HashMap<>();
            Set<UUID> eventIds = new HashSet<>();
            for (ConsumerRecord<String, byte[]> event : events) {
                long version = Long.parseLong(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.VERSION));
                UUID eventId = UUID.fromString(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.EVENT_ID));
                if (present.put(version, eventId) != null || !eventIds.add(eventId)) {
                    duplicated++;
                }
            }
            for (long v = 1; v <= present.size(); v++) {
                if (!present.containsKey(v)) {
                    gaps++;
                }
            }
            for (var ack : stream.getValue().entrySet()) {
                acked++;
                if (!ack.getValue().equals(present.get(ack.getKey()))) {
                    lost++;
                }
            }
        }
        System.out.printf("failover: acknowledged %d, present in log %d, lost %d, duplicated %d, gaps %d, retries %d, conflicts %d%n",
                acked, log.values().stream().mapToInt(List::size).sum(), lost, duplicated, gaps, retries.get(), conflicts.get());
        assertThat(acked).as("acknowledged appends").isGreaterThan(1_000);
        assertThat(lost).as("acknowledged but not in the log").isZero();
        assertThat(duplicated).as("duplicated in the log").isZero();
        assertThat(gaps).as("gaps in a stream's versions").isZero();
        assertThat(conflicts.get()).as("conflicts of writers that own their streams").isZero();
    }

    /** Appends to its own streams in turn with exact versions; an unknown outcome is retried with the same request id. */
    private static Void load(AppendClient client, List<String> streams, AtomicBoolean loading, Map<String, Map<Long, UUID>> acknowledged,
                             AtomicInteger retries, AtomicInteger conflicts) throws InterruptedException {
        Map<String, Long> versions = new HashMap<>();
        while (loading.get()) {
            for (String stream : streams) {
                NewEvent event = GateContract.deposit(stream);
                AppendOptions options = AppendOptions.defaults();
                long expected = versions.getOrDefault(stream, 0L);
                while (true) {
                    try {
                        AppendResult result = client.append(stream, ExpectedVersion.exactly(expected), List.of(event), options).get();
                        acknowledged.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).put(result.lastVersion(), event.eventId());
                        versions.put(stream, result.lastVersion());
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof AppendTimeoutException) {
                            retries.incrementAndGet();
                            continue;
                        }
                        if (e.getCause() instanceof WrongExpectedVersionException conflict) {
                            conflicts.incrementAndGet();
                            versions.put(stream, conflict.actualVersion());
                            break;
                        }
                        throw new AssertionError(e.getCause());
                    }
                }
            }
        }
        return null;
    }
}
