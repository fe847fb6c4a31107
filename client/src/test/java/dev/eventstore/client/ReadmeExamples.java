package dev.eventstore.client;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.AccountState;
import dev.eventstore.example.bank.CustomerRegistered;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.query.Selection;
import dev.eventstore.reader.query.StreamInfo;
import dev.eventstore.reader.snapshot.Snapshot;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.EventHandler;
import dev.eventstore.reader.subscription.RetryPolicy;
import dev.eventstore.reader.subscription.StartFrom;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.schemas.personal.Revealed;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendOptions;
import dev.eventstore.writer.api.AppendOutcomeUnknownException;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.StreamMetadata;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;

/**
 * The Java snippets of README.md, compiled and run by {@link ReadmeExamplesTest}. The text between a
 * {@code // README:begin} and the next {@code // README:end} is, less its indentation, a ```java block of
 * the README; the test fails when the two differ, so the README shows code that compiles and runs.
 */
final class ReadmeExamples {

    private ReadmeExamples() {
    }

    static void appendExample(Path settingsFile) throws Exception {
        // README:begin
        EventStoreSettings settings = EventStoreSettings.load(settingsFile);  // e.g. ~/.eventstore/local.properties
        try (EventStoreClient store = EventStoreClient.connect(settings)) {
            AppendClient appends = store.appends();
            AppendResult opened = appends.append("Account-42", ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new AccountOpened("42", "Alice", "EUR")))).get();
            AppendResult deposited = appends.append("Account-42", ExpectedVersion.exactly(opened.lastVersion()),
                    List.of(NewEvent.of(new MoneyDeposited("42", 500L)).withMetadata(Map.of("user", "alice"))),
                    AppendOptions.defaults().correlationId("order-7").timeout(Duration.ofSeconds(2))).get();
            System.out.println("Account-42 is at version " + deposited.lastVersion());
        }
        // README:end
    }

    static AppendResult retryExample(AppendClient client) throws Exception {
        // README:begin
        List<NewEvent> events = List.of(NewEvent.of(new MoneyDeposited("42", 500L)));
        AppendResult result;
        try {
            result = client.append("Account-42", ExpectedVersion.exactly(2), events).get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof AppendOutcomeUnknownException unknown)) {
                throw e;
            }
            // Same stream, expected version and events (their ids count): appended at most once.
            result = client.append("Account-42", ExpectedVersion.exactly(2), events, AppendOptions.retryOf(unknown)).get();
        }
        // README:end
        return result;
    }

    static List<RecordedEvent> readExample(EventStoreClient store, AppendResult deposited) {
        // README:begin
        EventReader reader = store.reads();
        reader.awaitVersion("Account-42", deposited.lastVersion(), Duration.ofSeconds(5));  // read-your-writes
        List<RecordedEvent> page = reader.readStream("Account-42", 1, ReadDirection.FORWARD, 100);
        try (Stream<RecordedEvent> events = reader.iterateStream("Account-42", 1, ReadDirection.FORWARD, 500)) {
            events.forEach(event -> System.out.println(event.version() + " " + event.eventType()));  // lazily, page by page
        }
        List<RecordedEvent> all = reader.readAll(Selection.all(), 0, ReadDirection.FORWARD, 1000);  // $all from a position
        List<RecordedEvent> accounts = reader.readAll(Selection.category("Account"), 0, ReadDirection.FORWARD, 1000);
        Optional<StreamInfo> info = reader.streamInfo("Account-42");  // version, first and last event times
        // README:end
        return page;
    }

    static AccountState snapshotExample(EventStoreClient store) {
        // README:begin
        Optional<Snapshot<AccountState>> snapshot = store.snapshots().loadLatest("Account-42", AccountState.class);
        AccountState state = snapshot.map(Snapshot::state).orElseGet(() -> new AccountState("42", 0L, 0));
        long version = snapshot.map(Snapshot::version).orElse(0L);
        try (Stream<RecordedEvent> events = store.reads().iterateStream("Account-42", version + 1, ReadDirection.FORWARD, 500)) {
            for (RecordedEvent event : (Iterable<RecordedEvent>) events::iterator) {
                state = apply(state, store.decoder().decode(event));
                version = event.version();
            }
        }
        store.snapshots().save("Account-42", version, state);  // the next load folds from version + 1
        // README:end
        return state;
    }

    static void subscribeExample(EventStoreClient store, EventHandler billing) throws Exception {
        // README:begin
        try (Subscription subscription = store.subscribe("billing", config -> config
                        .withStartFrom(StartFrom.beginning())  // or end(), or timestamp(instant): for a new group
                        .withFilter(EventFilter.categories("Account").withEventTypes("MoneyDeposited"))
                        .withRetryPolicy(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5))),
                billing)) {
            subscription.caughtUp().get();  // this member has handled what was in the log; now live
            System.out.println(subscription.lag());  // per partition and in total
        }
        // README:end
    }

    static void lifecycleExample(EventStoreClient store) throws Exception {
        // README:begin
        AppendClient appends = store.appends();
        appends.setStreamMetadata("Account-43", StreamMetadata.none().maxCount(100).maxAge(Duration.ofDays(30))).get();
        appends.truncateStream("Account-43", 2).get();                        // reads start at version 2
        appends.deleteStream("Account-43", ExpectedVersion.exactly(2)).get();  // soft delete
        appends.tombstoneStream("Account-44", ExpectedVersion.any()).get();    // hard delete: never written again
        // README:end
    }

    static Revealed<CustomerRegistered> forgetExample(EventStoreClient store) throws Exception {
        // README:begin
        AppendResult registered = store.appends().append("Customer-7", ExpectedVersion.noStream(), List.of(NewEvent.of(
                new CustomerRegistered("7", "Ada Lovelace", "ada@example.org", ByteBuffer.allocate(0), "GB"))
                .withDataSubject("customer-7"))).get();  // name, email, photo are "personal": sealed with customer-7's key
        store.reads().awaitVersion("Customer-7", registered.lastVersion(), Duration.ofSeconds(5));
        store.forget("customer-7");  // destroys the key: those fields now read as erased, on every path
        RecordedEvent event = store.reads().readStream("Customer-7", 1, ReadDirection.FORWARD, 1).get(0);
        Revealed<CustomerRegistered> customer = store.decoder().decodeRevealed(event, CustomerRegistered.class);
        System.out.println(customer.erasedFields());  // [name, email, photo]: now "", null and photo's default
        // README:end
        return customer;
    }

    /** The example's fold: an account's state after one more event. */
    static AccountState apply(AccountState state, GenericRecord event) {
        if (event.getSchema().getName().equals("MoneyDeposited")) {
            return new AccountState(state.getAccountId(), state.getBalanceCents() + (Long) event.get("amountCents"),
                    state.getDeposits() + 1);
        }
        return state;
    }
}
