package dev.eventstore.launcher;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.AccountState;
import dev.eventstore.example.bank.CustomerRegistered;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.example.bank.MoneyWithdrawn;
import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.StreamDeletedException;
import dev.eventstore.reader.query.StreamInfo;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.snapshot.Snapshot;
import dev.eventstore.reader.snapshot.SnapshotStore;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PostgresKeyStore;
import dev.eventstore.schemas.personal.Revealed;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.StreamChangeResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import io.micrometer.core.instrument.Metrics;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;

/**
 * The demo: the embedded stack, the gate and the indexer; appends to a few bank accounts, a conflict,
 * a read from PostgreSQL and a subscription, a delete and a forget; then everything stops.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE},
        description = "Start the embedded stack, append, show a conflict, read back and subscribe, delete a stream and forget a"
                + " customer's personal data; then stop.")
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
                 AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()),
                         Metrics.globalRegistry, keyStore(stack))) {
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

        out.println("\n3. " + alice + " read back from PostgreSQL (the index), waiting for version " + both.lastVersion()
                + " (read-your-writes)");
        IndexDatabase index = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), StoreAddresses.INDEX_SCHEMA);
        SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
        EventDecoder decoder = new EventDecoder(registry);
        try (EventReader reader = new EventReader(index, payloadJson(registry)); SnapshotStore snapshots = new SnapshotStore(index, registry, StoreTopics.defaults())) {
            reader.awaitVersion(alice, both.lastVersion(), WAIT);
            for (RecordedEvent event : reader.readStream(alice, 1, ReadDirection.FORWARD, 100)) {
                out.printf("   v%d %-15s %s%n", event.version(), event.eventType(), event.dataJson().orElse("?"));
            }
            snapshot(snapshots, decoder, reader, alice);
            evolution(decoder, client, reader, "Account-carol-" + suffix);
        }

        out.println("\n6. A subscription (Kafka consumer group) from the beginning of the log, filtered on the two streams");
        AtomicInteger received = new AtomicInteger();
        SubscriptionConfig config = SubscriptionConfig.of(stack.bootstrapServers(), "demo-" + suffix)
                .withFilter(EventFilter.streams(alice, bob));
        try (Subscription subscription = Subscription.start(config, event -> {
            received.incrementAndGet();
            out.printf("   received %s v%d %s (partition %d, offset %d)%n", event.streamId(), event.version(),
                    event.eventType(), event.logPosition().partition(), event.logPosition().offset());
        })) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        long expected = both.lastVersion() + 2;
        if (received.get() != expected) {
            throw new IllegalStateException("the subscription received " + received + " events, expected " + expected);
        }
        out.println("   caught up: the subscription received all " + received + " events");
        delete(stack, client, "Account-carol-" + suffix);
        forget(stack, client, "Customer-dana-" + suffix);
    }

    private static DataKeyStore keyStore(LocalStack stack) {
        IndexDatabase index = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), StoreAddresses.INDEX_SCHEMA);
        return new PostgresKeyStore(index::connect, index.schema());
    }

    /** Appends an event with personal fields, shows the ciphertext the index holds and the decrypted read; forgets; reads again. */
    private void forget(LocalStack stack, AppendClient client, String customer) throws Exception {
        out.println("\n8. Forgetting a customer (crypto-shredding): CustomerRegistered marks name, email and photo \"personal\"");
        client.append(customer, ExpectedVersion.noStream(), List.of(NewEvent.of(new CustomerRegistered(customer, "Dana Scully",
                "dana@example.org", ByteBuffer.wrap(new byte[] {1, 2, 3}), "US")))).get();
        IndexDatabase index = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), StoreAddresses.INDEX_SCHEMA);
        DataKeyStore keys = keyStore(stack);
        SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
        EventDecoder decoder = new EventDecoder(registry, keys);
        try (EventReader reader = new EventReader(index, payloadJson(registry))) {
            reader.awaitVersion(customer, 1, WAIT);
            RecordedEvent event = reader.readStream(customer, 1, ReadDirection.FORWARD, 1).get(0);
            out.println("   in the index and the log (ciphertext): " + abbreviated(event.dataJson().orElse("?")));
            out.println("   read with the key:  " + decoder.decodeRevealed(event).value());
            out.println("   forgot " + customer + " at " + keys.forget(customer));
            Revealed<GenericRecord> erased = decoder.decodeRevealed(event);
            out.println("   read after forget:  " + erased.value() + "   erased fields: " + erased.erasedFields());
        }
        out.println("   (the events stay; their personal fields cannot be decrypted by anyone any more, and appends of personal"
                + " data for " + customer + " are refused)");
    }

    private static String abbreviated(String json) {
        return json.replaceAll("(ES-ENC1:|RVNFM)[A-Za-z0-9+/=]{12,}", "$1…");
    }

    /** Soft-deletes a stream through the gate and shows what reads see: a typed error; the log keeps the events. */
    /** The index keeps no JSON of payloads by default: readers render it with the registry. */
    private static PayloadJson payloadJson(SchemaRegistryClient registry) {
        return new PayloadJson(new EventCodec(registry, StoreTopics.defaults().events(), false));
    }

    private void delete(LocalStack stack, AppendClient client, String account) throws Exception {
        out.println("\n7. Deleting " + account + " (soft delete, expected version 1): the gate writes a $stream-deleted marker");
        StreamChangeResult deleted = client.deleteStream(account, ExpectedVersion.exactly(1)).get();
        IndexDatabase index = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), StoreAddresses.INDEX_SCHEMA);
        try (EventReader reader = new EventReader(index)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!reader.streamInfo(account).map(StreamInfo::deleted).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try {
                reader.readStream(account, 1, ReadDirection.FORWARD, 10);
                throw new IllegalStateException("the deleted stream " + account + " still reads");
            } catch (StreamDeletedException e) {
                out.println("   deleted at version " + deleted.version() + "; reading it now fails: " + e.getMessage());
            }
        }
        out.println("   (its events remain in the Kafka log, followed by the marker; an append expecting no stream starts it"
                + " again at version " + (deleted.version() + 1) + ")");
    }

    /** Folds the account, saves a snapshot, and loads it back: the state an aggregate would start from. */
    private void snapshot(SnapshotStore snapshots, EventDecoder decoder, EventReader reader, String account) {
        long balance = 0;
        int deposits = 0;
        long version = 0;
        for (RecordedEvent event : reader.iterateStream(account, 1, ReadDirection.FORWARD, 100).toList()) {
            GenericRecord data = decoder.decode(event);
            if (event.eventType().equals("MoneyDeposited")) {
                balance += (Long) data.get("amountCents");
                deposits++;
            } else if (event.eventType().equals("MoneyWithdrawn")) {
                balance -= (Long) data.get("amountCents");
            }
            version = event.version();
        }
        snapshots.save(account, version, new AccountState(account, balance, deposits));
        Snapshot<AccountState> loaded = snapshots.loadLatest(account, AccountState.class).orElseThrow();
        out.printf("%n4. Snapshot of %s at version %d: balance %d cents after %d deposits (load it, then read from v%d)%n",
                account, loaded.version(), loaded.state().getBalanceCents(), loaded.state().getDeposits(), loaded.version() + 1);
    }

    /** Appends with version 1 of AccountOpened (no currency) and reads the event back as version 2. */
    private void evolution(EventDecoder decoder, AppendClient client, EventReader reader, String account) throws Exception {
        Schema v1;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/example/v1/AccountOpened.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v1);
        old.put("accountId", account);
        old.put("owner", "Carol");
        client.append(account, ExpectedVersion.noStream(), List.of(NewEvent.of(old))).get();
        reader.awaitVersion(account, 1, WAIT);
        RecordedEvent event = reader.readStream(account, 1, ReadDirection.FORWARD, 1).get(0);
        AccountOpened current = decoder.decode(event, AccountOpened.class);
        out.println("\n5. Schema evolution: " + account + " opened with AccountOpened v1, which has no currency");
        out.println("   as written (v1): " + event.dataJson().orElse("?"));
        out.println("   read as v2:      " + current + "   (currency takes v2's default)");
    }

    private AppendResult append(AppendClient client, String stream, ExpectedVersion expected,
                                org.apache.avro.specific.SpecificRecord event) throws Exception {
        AppendResult result = client.append(stream, expected, List.of(NewEvent.of(event))).get();
        out.printf("   %-28s %-14s -> version %d  %s%n", stream, expected, result.lastVersion(), event.getSchema().getName());
        return result;
    }
}
