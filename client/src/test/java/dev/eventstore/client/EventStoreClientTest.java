package dev.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventStoreClientTest {

    private static ClientStack stack;

    @BeforeAll
    static void startStore() throws Exception {
        stack = ClientStack.start();
    }

    @AfterAll
    static void stopStore() {
        stack.close();
    }

    @Test
    void oneClientAppendsReadsDecodesAndSubscribesFromOneSettingsObject() throws Exception {
        String stream = "Client-" + UUID.randomUUID();
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            AppendResult result = store.appends().append(stream, ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new AccountOpened("7", "Ada", "GBP")))).get(30, TimeUnit.SECONDS);

            store.reads().awaitVersion(stream, result.lastVersion(), Duration.ofSeconds(30));
            RecordedEvent read = store.reads().readStream(stream, 1, dev.eventstore.reader.query.ReadDirection.FORWARD, 10).get(0);
            assertThat(store.decoder().decode(read, AccountOpened.class)).isEqualTo(new AccountOpened("7", "Ada", "GBP"));

            List<RecordedEvent> received = new CopyOnWriteArrayList<>();
            Subscription subscription = store.subscribe("client-test-" + UUID.randomUUID(),
                    config -> config.withFilter(EventFilter.streams(stream)), received::add);
            subscription.caughtUp().get(60, TimeUnit.SECONDS);
            assertThat(received).extracting(RecordedEvent::streamId, RecordedEvent::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(stream, 1L));
        }
    }

    @Test
    void closingTheClientStopsTheSubscriptionsItStarted() throws Exception {
        EventStoreClient store = EventStoreClient.connect(stack.settings);
        Subscription subscription = store.subscribe("client-close-" + UUID.randomUUID(), event -> { });
        subscription.caughtUp().get(60, TimeUnit.SECONDS);

        store.close();

        assertThat(subscription.isRunning()).isFalse();
        assertThatThrownBy(store::reads).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aClientThatOnlyReadsNeedsNoKafkaOrRegistryAddress() {
        Map<String, String> databaseOnly = new HashMap<>();
        for (String key : List.of("jdbc.url", "jdbc.user", "jdbc.password", "index.schema")) {
            databaseOnly.put(key, stack.settings.get(key).orElse(""));
        }
        try (EventStoreClient store = EventStoreClient.connect(EventStoreSettings.of(databaseOnly))) {
            assertThat(store.reads().streamInfo("Never-" + UUID.randomUUID())).isEmpty();
            assertThatThrownBy(store::appends).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setting kafka.bootstrap.servers is missing (needed for appends)");
            assertThatThrownBy(store::decoder).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setting schema.registry.url is missing (needed for decoding)");
        }
    }
}
