package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.example.bank.MoneyWithdrawn;
import dev.eventstore.local.LocalStack;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendOptions;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path on the embedded stack: append → gate → log → index → read, and a subscription. */
class EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static java.nio.file.Path stateDir;

    private static LocalStack stack;
    private static StoreTopics topics;
    private static String indexSchema;
    private static StoreServices services;
    private static AppendClient client;
    private static EventCodec codec;

    @BeforeAll
    static void startStore() {
        stack = LocalStack.shared();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        topics = new StoreTopics("e2e" + run);
        indexSchema = "e2e_" + run;
        services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(),
                stack.schemaRegistryUrl(), topics, stateDir, indexSchema);
        client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics));
        codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())), topics.events(), false);
    }

    @AfterAll
    static void stopStore() {
        client.close();
        services.close();
    }

    @Test
    void eventsTravelFromAppendToTheIndexAndToASubscriptionExactlyAsAppended() throws Exception {
        // Given three accounts with a history each
        Map<String, List<NewEvent>> appended = new LinkedHashMap<>();
        for (int account = 0; account < 3; account++) {
            String stream = "Account-" + UUID.randomUUID();
            List<NewEvent> history = List.of(
                    NewEvent.of(new AccountOpened(stream, "owner " + account, "EUR")).withMetadata(Map.of("tenant", "t" + account)),
                    NewEvent.of(new MoneyDeposited(stream, 1_000L * (account + 1))),
                    NewEvent.of(new MoneyWithdrawn(stream, 100L)));
            AppendResult first = client.append(stream, ExpectedVersion.noStream(), history.subList(0, 1),
                    AppendOptions.defaults().correlationId("corr-" + account)).get();
            assertThat(first.firstVersion()).isEqualTo(1);
            AppendResult rest = client.append(stream, ExpectedVersion.exactly(1), history.subList(1, 3)).get();
            assertThat(rest.firstVersion()).isEqualTo(2);
            assertThat(rest.lastVersion()).isEqualTo(3);
            appended.put(stream, history);
        }
        String firstStream = appended.keySet().iterator().next();

        // When a stale writer appends with an old expected version, it is refused with the actual one
        assertThatThrownBy(() -> client.append(firstStream, ExpectedVersion.exactly(1),
                List.of(NewEvent.of(new MoneyWithdrawn(firstStream, 5L)))).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WrongExpectedVersionException.class, conflict -> {
                    assertThat(conflict.streamId()).isEqualTo(firstStream);
                    assertThat(conflict.expectedVersion()).isEqualTo(ExpectedVersion.exactly(1));
                    assertThat(conflict.actualVersion()).isEqualTo(3);
                });

        // Then PostgreSQL holds every stream's events once, versions 1..3 in order, as appended
        try (EventReader reader = new EventReader(new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), indexSchema),
                new PayloadJson(codec))) {
            for (var entry : appended.entrySet()) {
                reader.awaitVersion(entry.getKey(), 3, WAIT);
                List<RecordedEvent> read = reader.readStream(entry.getKey(), 1, ReadDirection.FORWARD, 100);
                assertThat(read).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
                assertSameEvents(read, entry.getValue());
                for (int i = 0; i < 3; i++) {
                    SpecificRecord data = (SpecificRecord) entry.getValue().get(i).data();
                    assertThat(JSON.readTree(read.get(i).dataJson().orElseThrow()))
                            .isEqualTo(JSON.readTree(data.toString()));
                }
                assertThat(reader.readStream(entry.getKey(), 3, ReadDirection.BACKWARD, 2))
                        .extracting(RecordedEvent::version).containsExactly(3L, 2L);
                assertThat(reader.streamInfo(entry.getKey()).orElseThrow().version()).isEqualTo(3);
            }
        }

        // And a subscription from the beginning receives every event exactly as appended, envelope included
        Map<String, List<RecordedEvent>> received = new LinkedHashMap<>();
        appended.keySet().forEach(stream -> received.put(stream, Collections.synchronizedList(new ArrayList<>())));
        try (Subscription subscription = Subscription.start(SubscriptionConfig.of(stack.bootstrapServers(),
                "e2e-" + UUID.randomUUID()).withTopics(topics), event -> received.get(event.streamId()).add(event))) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (var entry : appended.entrySet()) {
            List<RecordedEvent> events = received.get(entry.getKey());
            assertThat(events).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
            assertSameEvents(events, entry.getValue());
        }
        assertThat(received.get(firstStream).get(0).correlationId()).hasValue("corr-0");
    }

    private static void assertSameEvents(List<RecordedEvent> recorded, List<NewEvent> appended) {
        assertThat(recorded).hasSameSizeAs(appended);
        for (int i = 0; i < appended.size(); i++) {
            RecordedEvent event = recorded.get(i);
            NewEvent sent = appended.get(i);
            assertThat(event.eventId()).isEqualTo(sent.eventId());
            assertThat(event.eventType()).isEqualTo(sent.type());
            assertThat(event.metadata()).isEqualTo(sent.metadata());
            assertThat(codec.decode(event.payload(), ((SpecificRecord) sent.data()).getClass())).isEqualTo(sent.data());
        }
    }
}
