package dev.eventstore.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.subscription.EventFilter;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * An event written with version 1 of AccountOpened (no currency) reads as version 2 (currency, default
 * EUR), the generated class, in the reader and in a subscription.
 */
class SchemaEvolutionTest {

    static Schema accountOpenedV1() throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/example/v1/AccountOpened.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void anEventWrittenWithTheOldSchemaReadsAsTheNewOneEverywhere() throws Exception {
        try (ReaderStack store = new ReaderStack()) {
            GenericRecord old = new GenericData.Record(accountOpenedV1());
            old.put("accountId", "old");
            old.put("owner", "Ada");
            store.client.append("Account-old", ExpectedVersion.noStream(), List.of(NewEvent.of(old))).get(30, TimeUnit.SECONDS);
            store.client.append("Account-new", ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new AccountOpened("new", "Bob", "CHF")))).get(30, TimeUnit.SECONDS);
            // Two versions under one subject: v1 registered first, v2 accepted as BACKWARD compatible.
            assertThat(store.registry.latest(store.topics.events() + "-dev.eventstore.example.bank.AccountOpened").version())
                    .isEqualTo(2);

            EventDecoder decoder = new EventDecoder(store.registry);
            store.reader.awaitVersion("Account-old", 1, ReaderStack.WAIT);
            store.reader.awaitVersion("Account-new", 1, ReaderStack.WAIT);
            RecordedEvent oldEvent = store.reader.readStream("Account-old", 1, ReadDirection.FORWARD, 1).get(0);
            assertThat(decoder.decode(oldEvent, AccountOpened.class)).isEqualTo(new AccountOpened("old", "Ada", "EUR"));
            assertThat(decoder.decode(oldEvent).getSchema()).isEqualTo(accountOpenedV1());
            assertThat(oldEvent.dataJson().orElseThrow()).doesNotContain("currency"); // the index keeps it as written
            RecordedEvent newEvent = store.reader.readStream("Account-new", 1, ReadDirection.FORWARD, 1).get(0);
            assertThat(decoder.decode(newEvent, AccountOpened.class).getCurrency()).isEqualTo("CHF");

            Map<String, AccountOpened> received = new ConcurrentHashMap<>();
            SubscriptionConfig config = SubscriptionConfig.of(store.stack.bootstrapServers(), "evolution-" + UUID.randomUUID())
                    .withTopics(store.topics).withFilter(EventFilter.eventTypes("AccountOpened"));
            try (Subscription subscription = Subscription.start(config,
                    event -> received.put(event.streamId(), decoder.decode(event, AccountOpened.class)))) {
                subscription.caughtUp().get(ReaderStack.WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(received).containsEntry("Account-old", new AccountOpened("old", "Ada", "EUR"))
                    .containsEntry("Account-new", new AccountOpened("new", "Bob", "CHF"));
        }
    }
}
