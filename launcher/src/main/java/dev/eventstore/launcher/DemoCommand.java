package dev.eventstore.launcher;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.example.bank.MoneyWithdrawn;
import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.IndexDatabase;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;

/**
 * The demo: the embedded stack, the gate and the indexer; appends to a few bank accounts, a conflict,
 * a read from PostgreSQL and a subscription; then everything stops.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the embedded stack, append, show a conflict, read back and subscribe; then stop.")
final class DemoCommand implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        out.println("Starting Kafka (KRaft), PostgreSQL and the schema registry ...");
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults())) {
            StoreAddresses.of(stack).lines().forEach(line -> out.println("  " + line));
            StoreTopics topics = StoreTopics.defaults();
            try (StoreServices services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(),
                    stack.jdbcPassword(), stack.schemaRegistryUrl(), topics, stack.dataDir().resolve("gate-state"),
                    StoreAddresses.INDEX_SCHEMA);
                 AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()))) {
                out.printf("Stack, gate and indexer up in %.1f s%n%n", (System.nanoTime() - started) / 1e9);
                run(stack, client);
            }
        }
        out.println("\nDemo done; everything stopped.");
        return 0;
    }

    private void run(LocalStack stack, AppendClient client) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String alice = "Account-alice-" + suffix;
        String bob = "Account-bob-" + suffix;

        out.println("1. Appends (expected version -> versions assigned by the gate)");
        AppendResult opened = append(client, alice, ExpectedVersion.noStream(), new AccountOpened(alice, "Alice", "EUR"));
        append(client, bob, ExpectedVersion.noStream(), new AccountOpened(bob, "Bob", "EUR"));
        AppendResult deposit = append(client, alice, ExpectedVersion.exactly(opened.lastVersion()), new MoneyDeposited(alice, 10_000L));
        AppendResult both = client.append(alice, ExpectedVersion.exactly(deposit.lastVersion()), List.of(
                NewEvent.of(new MoneyWithdrawn(alice, 2_500L)), NewEvent.of(new MoneyDeposited(alice, 1_200L)))).get();
        out.printf("   %-28s %-14s -> versions %d..%d (one atomic append)%n", alice, ExpectedVersion.exactly(deposit.lastVersion()),
                both.firstVersion(), both.lastVersion());
        append(client, bob, ExpectedVersion.streamExists(), new MoneyDeposited(bob, 5_000L));

        out.println("\n2. A stale writer: expected version 1, but " + alice + " is at " + both.lastVersion());
        try {
            client.append(alice, ExpectedVersion.exactly(1), List.of(NewEvent.of(new MoneyWithdrawn(alice, 99_999L)))).get();
            throw new IllegalStateException("the stale append was accepted");
        } catch (ExecutionException e) {
            WrongExpectedVersionException conflict = (WrongExpectedVersionException) e.getCause();
            out.println("   refused: " + conflict.getMessage());
        }

        out.println("\n3. " + alice + " read back from PostgreSQL (the index)");
        EventReader reader = new EventReader(new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(),
                StoreAddresses.INDEX_SCHEMA));
        awaitIndexed(reader, alice, both.lastVersion());
        for (RecordedEvent event : reader.readStream(alice, 1, ReadDirection.FORWARD, 100)) {
            out.printf("   v%d %-15s %s%n", event.version(), event.eventType(), event.dataJson().orElse("?"));
        }

        out.println("\n4. A subscription (Kafka consumer group) from the beginning of the log");
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        long expected = both.lastVersion() + 2;
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Subscription subscription = Subscription.start(SubscriptionConfig.of(stack.bootstrapServers(), "demo-" + suffix),
                event -> {
                    if (event.streamId().endsWith(suffix)) {
                        seen.merge(event.streamId(), 1, Integer::sum);
                        out.printf("   received %s v%d %s (partition %d, offset %d)%n", event.streamId(), event.version(),
                                event.eventType(), event.logPosition().partition(), event.logPosition().offset());
                    }
                })) {
            while (seen.values().stream().mapToInt(Integer::intValue).sum() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        int received = seen.values().stream().mapToInt(Integer::intValue).sum();
        if (received != expected) {
            throw new IllegalStateException("the subscription received " + received + " events, expected " + expected);
        }
        out.println("   the subscription received all " + received + " events");
    }

    private AppendResult append(AppendClient client, String stream, ExpectedVersion expected,
                                org.apache.avro.specific.SpecificRecord event) throws Exception {
        AppendResult result = client.append(stream, expected, List.of(NewEvent.of(event))).get();
        out.printf("   %-28s %-14s -> version %d  %s%n", stream, expected, result.lastVersion(), event.getSchema().getName());
        return result;
    }

    private static void awaitIndexed(EventReader reader, String stream, long version) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reader.streamInfo(stream).map(info -> info.version() < version).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(stream + " was not indexed up to version " + version + " within " + WAIT);
            }
            Thread.sleep(20);
        }
    }
}
