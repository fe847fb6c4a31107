package dev.eventstore.reader.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountState;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.ReaderStack;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {

    private static ReaderStack store;
    private static SnapshotStore snapshots;
    private static EventDecoder decoder;

    @BeforeAll
    static void start() throws Exception {
        store = new ReaderStack();
        snapshots = new SnapshotStore(store.database, store.registry, store.topics);
        decoder = new EventDecoder(store.registry);
    }

    @AfterAll
    static void stop() throws Exception {
        snapshots.close();
        store.close();
    }

    private static void deposit(String stream, long expected, int count) throws Exception {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(NewEvent.of(new MoneyDeposited(stream, expected * 10 + i)));
        }
        ExpectedVersion version = expected == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expected);
        long last = store.client.append(stream, version, events).get(30, TimeUnit.SECONDS).lastVersion();
        store.reader.awaitVersion(stream, last, ReaderStack.WAIT);
    }

    /** The aggregate's fold: a snapshot is only a shortcut through it. */
    private static AccountState fold(AccountState state, MoneyDeposited deposited) {
        return new AccountState(state.getAccountId(), state.getBalanceCents() + deposited.getAmountCents(), state.getDeposits() + 1);
    }

    private static AccountState load(String stream) {
        var snapshot = snapshots.loadLatest(stream, AccountState.class);
        AccountState[] state = {snapshot.map(Snapshot::state).orElseGet(() -> new AccountState(stream, 0L, 0))};
        long from = snapshot.map(Snapshot::version).orElse(0L) + 1;
        store.reader.iterateStream(stream, from, ReadDirection.FORWARD, 3)
                .forEach(event -> state[0] = fold(state[0], decoder.decode(event, MoneyDeposited.class)));
        return state[0];
    }

    @Test
    void loadSnapshotThenReadFromItsVersionPlusOneEqualsFoldingTheWholeStream() throws Exception {
        String stream = "Account-snap";
        deposit(stream, 0, 7);
        AccountState fromEvents = load(stream);
        assertThat(fromEvents.getDeposits()).isEqualTo(7);

        assertThat(snapshots.save(stream, 7, fromEvents)).isTrue();
        deposit(stream, 7, 4);
        Snapshot<AccountState> saved = snapshots.loadLatest(stream, AccountState.class).orElseThrow();
        assertThat(saved.version()).isEqualTo(7);
        assertThat(saved.state()).isEqualTo(fromEvents);
        assertThat(saved.schemaId()).isPositive();

        AccountState viaSnapshot = load(stream);
        assertThat(viaSnapshot.getDeposits()).isEqualTo(11);
        snapshots.save(stream, 11, viaSnapshot);
        assertThat(snapshots.loadLatest(stream, AccountState.class).orElseThrow().version()).isEqualTo(11);
        assertThat(load(stream)).isEqualTo(viaSnapshot);

        GenericRecord generic = snapshots.loadLatest(stream).orElseThrow().state();
        assertThat(generic.get("deposits")).isEqualTo(11);
    }

    @Test
    void onlyTheNewestSnapshotIsKeptAndOneAheadOfTheIndexIsRefused() throws Exception {
        String stream = "Account-snap-rules";
        deposit(stream, 0, 5);
        assertThat(snapshots.save(stream, 5, new AccountState(stream, 50L, 5))).isTrue();
        assertThat(snapshots.save(stream, 3, new AccountState(stream, 30L, 3))).isFalse();
        assertThat(snapshots.loadLatest(stream, AccountState.class).orElseThrow().state().getDeposits()).isEqualTo(5);

        assertThatThrownBy(() -> snapshots.save(stream, 6, new AccountState(stream, 60L, 6)))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("indexed up to version 5");
        assertThatThrownBy(() -> snapshots.save("Account-none", 1, new AccountState("none", 0L, 0)))
                .isInstanceOf(InvalidSnapshotException.class);
        assertThat(snapshots.loadLatest("Account-none", AccountState.class)).isEmpty();
        assertThat(snapshots.loadLatest(stream, AccountState.class).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void loadsAndSavesBorrowPooledConnectionsRatherThanOpeningOneEach() throws Exception {
        String stream = "Account-snap-pooled";
        deposit(stream, 0, 2);
        long before = store.sessionsOpened();
        for (int i = 0; i < 50; i++) {
            snapshots.save(stream, 2, new AccountState(stream, 20L, 2));
            assertThat(snapshots.loadLatest(stream, AccountState.class)).isPresent();
        }
        // A connection per call would be 100; the pool opens at most 8 (plus the count's own).
        assertThat(store.sessionsOpened() - before).isLessThanOrEqualTo(9);
    }
}
