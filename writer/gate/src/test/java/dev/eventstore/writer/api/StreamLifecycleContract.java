package dev.eventstore.writer.api;

import static dev.eventstore.writer.api.GateContract.deposit;
import static dev.eventstore.writer.api.GateContract.newStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.store.StreamChange;
import dev.eventstore.schemas.store.StreamChangeKind;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The gate's lifecycle rules (soft delete, tombstone, truncate), run against the topology test driver and
 * the real broker: each change is decided by the gate and written to the log as a marker, or refused with
 * a typed error and nothing written.
 */
abstract class StreamLifecycleContract {

    static final String DELETED = "$stream-deleted";
    static final String TOMBSTONED = "$stream-tombstoned";
    static final String TRUNCATED = "$stream-truncated";
    static final String DEPOSITED = "MoneyDeposited";

    abstract GateUnderTest gate();

    AppendResult append(String stream, ExpectedVersion expected, int events) throws Exception {
        List<NewEvent> batch = java.util.stream.IntStream.range(0, events).mapToObj(i -> deposit(stream)).toList();
        return gate().append(stream, expected, batch, AppendOptions.defaults()).get();
    }

    StreamChangeResult change(String stream, ExpectedVersion expected, StreamChange change) throws Exception {
        return gate().change(stream, expected, change, AppendOptions.defaults()).get();
    }

    Throwable changeFailure(String stream, ExpectedVersion expected, StreamChange change) {
        try {
            gate().change(stream, expected, change, AppendOptions.defaults()).get();
            throw new AssertionError(change.getKind() + " of " + stream + " was applied");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    Throwable appendFailure(String stream, ExpectedVersion expected) {
        try {
            gate().append(stream, expected, List.of(deposit(stream)), AppendOptions.defaults()).get();
            throw new AssertionError("append to " + stream + " was accepted");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static StreamChange delete() {
        return StreamChange.newBuilder().setKind(StreamChangeKind.DELETE).build();
    }

    static StreamChange tombstone() {
        return StreamChange.newBuilder().setKind(StreamChangeKind.TOMBSTONE).build();
    }

    static StreamChange truncateBefore(long version) {
        return StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(version).build();
    }

    @Test
    void aDeleteExpectingTheWrongVersionIsATypedConflictAndWritesNothing() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 2);

        Throwable conflict = changeFailure(stream, ExpectedVersion.exactly(1), delete());

        assertThat(conflict).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.expectedVersion()).isEqualTo(ExpectedVersion.exactly(1));
            assertThat(e.actualVersion()).isEqualTo(2);
        });
        assertThat(append(stream, ExpectedVersion.exactly(2), 1).lastVersion()).as("the stream still takes appends").isEqualTo(3);
        assertThat(gate().typesInLog(stream, 3)).containsExactly(DEPOSITED, DEPOSITED, DEPOSITED);
    }

    @Test
    void aSoftDeleteIsAMarkerInTheLogAndASecondDeleteIsRefusedAsDeleted() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 2);

        StreamChangeResult deleted = change(stream, ExpectedVersion.exactly(2), delete());
        Throwable again = changeFailure(stream, ExpectedVersion.any(), delete());

        assertThat(deleted.version()).isEqualTo(2);
        assertThat(again).isInstanceOfSatisfying(StreamDeletedException.class, e -> {
            assertThat(e.tombstoned()).isFalse();
            assertThat(e.version()).isEqualTo(2);
            assertThat(e.isRetryable()).isFalse();
        });
        assertThat(gate().typesInLog(stream, 3)).containsExactly(DEPOSITED, DEPOSITED, DELETED);
    }

    @Test
    void anAppendExpectingNoStreamStartsASoftDeletedStreamAgainAfterItsLastVersion() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 3);
        change(stream, ExpectedVersion.any(), delete());

        Throwable exists = appendFailure(stream, ExpectedVersion.streamExists());
        AppendResult restarted = append(stream, ExpectedVersion.noStream(), 1);
        AppendResult next = append(stream, ExpectedVersion.any(), 1);

        assertThat(exists).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(3));
        assertThat(restarted.firstVersion()).as("versions are never reused").isEqualTo(4);
        assertThat(next.lastVersion()).isEqualTo(5);
        assertThat(gate().versionsInLog(stream, 6)).containsExactly(1L, 2L, 3L, 3L, 4L, 5L);
    }

    @Test
    void aTombstonedStreamRefusesEveryAppendAndChangeForEver() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 1);
        change(stream, ExpectedVersion.exactly(1), tombstone());

        for (ExpectedVersion expected : List.of(ExpectedVersion.noStream(), ExpectedVersion.any(), ExpectedVersion.exactly(1))) {
            assertThat(appendFailure(stream, expected)).isInstanceOfSatisfying(StreamDeletedException.class,
                    e -> assertThat(e.tombstoned()).isTrue());
        }
        for (StreamChange change : List.of(delete(), tombstone(), truncateBefore(1))) {
            assertThat(changeFailure(stream, ExpectedVersion.any(), change)).isInstanceOfSatisfying(StreamDeletedException.class,
                    e -> assertThat(e.tombstoned()).isTrue());
        }
        assertThat(gate().typesInLog(stream, 2)).containsExactly(DEPOSITED, TOMBSTONED);
    }

    @Test
    void aSoftDeletedStreamCanStillBeTombstoned() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 1);
        change(stream, ExpectedVersion.any(), delete());

        change(stream, ExpectedVersion.exactly(1), tombstone());

        assertThat(appendFailure(stream, ExpectedVersion.noStream())).isInstanceOf(StreamDeletedException.class);
        assertThat(gate().typesInLog(stream, 3)).containsExactly(DEPOSITED, DELETED, TOMBSTONED);
    }

    @Test
    void truncatingBeyondTheEndIsATypedErrorAndTruncatingUpToItIsAMarker() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 3);

        Throwable beyond = changeFailure(stream, ExpectedVersion.any(), truncateBefore(5));
        StreamChangeResult truncated = change(stream, ExpectedVersion.any(), truncateBefore(4));

        assertThat(beyond).isInstanceOfSatisfying(VersionOutOfRangeException.class, e -> {
            assertThat(e.requestedVersion()).isEqualTo(5);
            assertThat(e.actualVersion()).isEqualTo(3);
        });
        assertThat(truncated.version()).isEqualTo(3);
        assertThat(gate().typesInLog(stream, 4)).containsExactly(DEPOSITED, DEPOSITED, DEPOSITED, TRUNCATED);
    }

    @Test
    void aDeleteRetriedWithItsRequestIdGetsItsOriginalResultAndWritesOneMarker() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.noStream(), 1);
        AppendOptions options = AppendOptions.defaults().idempotencyKey(EventIds.next().toString());

        StreamChangeResult first = gate().change(stream, ExpectedVersion.exactly(1), delete(), options).get();
        StreamChangeResult retried = gate().change(stream, ExpectedVersion.exactly(1), delete(), options).get();

        assertThat(first.duplicate()).isFalse();
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.version()).isEqualTo(1);
        assertThat(gate().typesInLog(stream, 2)).containsExactly(DEPOSITED, DELETED);
    }

    @Test
    void anEventTypeStartingWithTheMarkerPrefixIsRefusedBeforeSending() {
        String stream = newStream();
        NewEvent forged = NewEvent.of(new dev.eventstore.example.bank.MoneyDeposited(stream, 1L)).withType("$stream-deleted");

        Throwable refused;
        try {
            gate().append(stream, ExpectedVersion.any(), List.of(forged), AppendOptions.defaults()).get();
            throw new AssertionError("a forged marker was appended");
        } catch (ExecutionException e) {
            refused = e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        assertThat(refused).isInstanceOf(InvalidAppendException.class).hasMessageContaining("reserved");
        assertThat(gate().typesInLog(stream, 0)).isEmpty();
    }
}
