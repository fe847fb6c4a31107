package dev.eventstore.writer.api;

import dev.eventstore.schemas.EnvelopeHeaders;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A load for fault tests: writers append to streams of their own, one event at a time with the exact
 * expected version, and remember every acknowledged append. An append whose outcome is unknown (the gate
 * or the broker is away) is retried with the same request id, as a careful client does; the count of
 * such errors shows that the client saw the outage. {@link #verify} then compares the acknowledged
 * appends with the log.
 */
public final class AcknowledgedLoad {

    /** What the log holds of the acknowledged appends. */
    public record Verdict(int acknowledged, int present, int lost, int duplicated, int gaps, int errorsSeen, int conflicts) {
        @Override
        public String toString() {
            return "acknowledged " + acknowledged + ", present " + present + ", lost " + lost + ", duplicated " + duplicated
                    + ", gaps " + gaps + ", errors seen by clients " + errorsSeen + ", conflicts " + conflicts;
        }
    }

    private static final Duration READ_WAIT = Duration.ofSeconds(120);

    private final Map<String, Map<Long, UUID>> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger errorsSeen = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> writers = new ArrayList<>();

    private AcknowledgedLoad(int writerCount) {
        this.pool = Executors.newFixedThreadPool(writerCount);
    }

    /** Starts {@code writers} writers over {@code streams} new streams named {@code <prefix>-<n>-<uuid>}. */
    public static AcknowledgedLoad start(AppendClient client, String prefix, int streams, int writers) {
        AcknowledgedLoad load = new AcknowledgedLoad(writers);
        for (int w = 0; w < writers; w++) {
            List<String> mine = new ArrayList<>();
            for (int s = w; s < streams; s += writers) {
                mine.add(prefix + "-" + s + "-" + UUID.randomUUID());
            }
            load.writers.add(load.pool.submit(() -> load.write(client, mine)));
        }
        return load;
    }

    public int acknowledged() {
        return acknowledged.values().stream().mapToInt(Map::size).sum();
    }

    public int errorsSeen() {
        return errorsSeen.get();
    }

    /** Stops the writers after their current append (which may have to wait for the store to come back). */
    public void stop() throws ExecutionException, InterruptedException {
        loading.set(false);
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
    }

    /** Compares the acknowledged appends with the events topic, read to its end. */
    public Verdict verify(String bootstrapServers, String eventsTopic) {
        Map<String, List<ConsumerRecord<String, byte[]>>> log = readLog(bootstrapServers, eventsTopic);
        int acked = 0;
        int lost = 0;
        int duplicated = 0;
        int gaps = 0;
        int present = 0;
        for (var stream : acknowledged.entrySet()) {
            Map<Long, UUID> versions = new HashMap<>();
            Set<UUID> eventIds = new HashSet<>();
            for (ConsumerRecord<String, byte[]> event : log.getOrDefault(stream.getKey(), List.of())) {
                present++;
                long version = Long.parseLong(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.VERSION));
                UUID eventId = UUID.fromString(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.EVENT_ID));
                if (versions.put(version, eventId) != null || !eventIds.add(eventId)) {
                    duplicated++;
                }
            }
            for (long v = 1; v <= versions.size(); v++) {
                if (!versions.containsKey(v)) {
                    gaps++;
                }
            }
            for (var ack : stream.getValue().entrySet()) {
                acked++;
                if (!ack.getValue().equals(versions.get(ack.getKey()))) {
                    lost++;
                }
            }
        }
        return new Verdict(acked, present, lost, duplicated, gaps, errorsSeen.get(), conflicts.get());
    }

    /** Every event in the events topic, read_committed, up to the end of the log, by stream in log order. */
    public static Map<String, List<ConsumerRecord<String, byte[]>>> readLog(String bootstrapServers, String eventsTopic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<ConsumerRecord<String, byte[]>>> byStream = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(eventsTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the events topic was not read to its end in time");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byStream.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                }
            }
        }
        return byStream;
    }

    /** Appends to its own streams in turn with exact versions; an unknown outcome is retried with the same request id. */
    private Void write(AppendClient client, List<String> streams) throws InterruptedException {
        Map<String, Long> versions = new HashMap<>();
        while (loading.get()) {
            for (String stream : streams) {
                NewEvent event = GateContract.deposit(stream);
                AppendOptions options = AppendOptions.defaults().idempotencyKey(EventIds.next().toString());
                long expected = versions.getOrDefault(stream, 0L);
                while (true) {
                    try {
                        AppendResult result = client.append(stream, ExpectedVersion.exactly(expected), List.of(event), options).get();
                        acknowledged.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).put(result.lastVersion(), event.eventId());
                        versions.put(stream, result.lastVersion());
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof AppendOutcomeUnknownException || e.getCause() instanceof AppendNotSentException) {
                            errorsSeen.incrementAndGet();
                            if (!loading.get()) {
                                return null; // never acknowledged: whether it is in the log does not matter
                            }
                            Thread.sleep(100);
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
