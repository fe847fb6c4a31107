package dev.eventstore.writer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendOptions;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import dev.eventstore.writer.gate.Gate;
import dev.eventstore.writer.gate.GateConfig;
import dev.eventstore.writer.gate.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on a real broker (the embedded stack): the race, the idempotent retry, the log's content. */
class GateOnBrokerTest {

    @TempDir
    static Path stateDir;

    private static LocalStack stack;
    private static StoreTopics topics;
    private static Gate gate;
    private static AppendClient client;

    @BeforeAll
    static void startGate() {
        stack = LocalStack.shared();
        topics = new StoreTopics("gate" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, 4, (short) 1);
        }
        gate = Gate.start(GateConfig.defaults(stack.bootstrapServers()).withTopics(topics)
                .withApplicationId(topics.prefix() + "-gate").withStateDir(stateDir), Duration.ofSeconds(60));
        client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics));
    }

    @AfterAll
    static void stopGate() {
        client.close();
        gate.close();
    }

    @Test
    void writersRacingOnOneStreamGetExactlyOneWinnerPerVersionAndTheLogHoldsEachVersionOnce() throws Exception {
        String stream = "Account-race-" + UUID.randomUUID();
        int writers = 16;
        int target = 300;
        Map<Long, String> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger wrongActual = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "writer-" + w;
            done.add(pool.submit(() -> {
                long known = 0;
                while (winners.size() < target) {
                    try {
                        AppendResult result = client.append(stream, ExpectedVersion.exactly(known),
                                List.of(NewEvent.of(new MoneyDeposited(stream, 1L)))).get();
                        String previous = winners.putIfAbsent(result.lastVersion(), writer);
                        assertThat(previous).as("second winner of version %d", result.lastVersion()).isNull();
                        known = result.lastVersion();
                    } catch (ExecutionException e) {
                        WrongExpectedVersionException conflict = (WrongExpectedVersionException) e.getCause();
                        conflicts.incrementAndGet();
                        if (conflict.actualVersion() <= known) {
                            wrongActual.incrementAndGet();
                        }
                        known = conflict.actualVersion();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        long last = winners.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(winners.keySet()).hasSize((int) last);
        assertThat(winners.keySet()).allMatch(version -> version >= 1 && version <= last);
        assertThat(conflicts.get()).isPositive();
        assertThat(wrongActual.get()).as("conflicts whose actual version was not newer than the loser's").isZero();
        assertThat(versionsInLog(stream, (int) last)).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
    }

    @Test
    void aRetryWithTheSameRequestIdReturnsTheOriginalResultAndAppendsNothing() throws Exception {
        String stream = "Account-retry-" + UUID.randomUUID();
        AppendOptions options = AppendOptions.defaults();
        AppendResult first = client.append(stream, ExpectedVersion.noStream(),
                List.of(NewEvent.of(new MoneyDeposited(stream, 7L))), options).get();

        AppendResult retried = client.append(stream, ExpectedVersion.noStream(),
                List.of(NewEvent.of(new MoneyDeposited(stream, 7L))), options).get();

        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.lastVersion()).isEqualTo(first.lastVersion()).isEqualTo(1);
        assertThat(versionsInLog(stream, 1)).containsExactly(1L);
    }

    /** The versions of a stream's events in the log, read_committed, in log order. */
    private static List<Long> versionsInLog(String stream, int expectedCount) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.events()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Long> versions = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(stream)) {
                        versions.add(Long.parseLong(EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.VERSION)));
                    }
                }
            }
            assertThat(versions).as("events of %s in the log", stream).hasSize(expectedCount);
            return versions;
        }
    }
}
