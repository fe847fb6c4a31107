package dev.eventstore.writer.gate;

import static dev.eventstore.schemas.store.ExpectedVersionKind.ANY;
import static dev.eventstore.schemas.store.ExpectedVersionKind.EXACT;
import static dev.eventstore.schemas.store.ExpectedVersionKind.NO_STREAM;
import static dev.eventstore.schemas.store.ExpectedVersionKind.STREAM_EXISTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.StreamMarker;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.StreamChange;
import dev.eventstore.schemas.store.StreamChangeKind;
import dev.eventstore.schemas.store.StreamState;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StreamLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static StreamState atVersion(long version) {
        return StreamState.newBuilder().setVersion(version).setUpdatedAt(NOW).build();
    }

    private static StreamChange change(StreamChangeKind kind) {
        return StreamChange.newBuilder().setKind(kind).build();
    }

    private static StreamLifecycle.Decision decide(StreamState state, long expectedExactly, StreamChange change) {
        return StreamLifecycle.decideChange(state, expectedExactly < 0 ? ANY : EXACT, Math.max(0, expectedExactly), change, "S-1", NOW);
    }

    private static StreamState changedState(StreamLifecycle.Decision decision) {
        assertThat(decision).isInstanceOf(StreamLifecycle.Changed.class);
        return ((StreamLifecycle.Changed) decision).next();
    }

    @Test
    void aSoftDeleteKeepsTheVersionAndHidesEveryEventSoFar() {
        StreamLifecycle.Decision decision = decide(atVersion(4), 4, change(StreamChangeKind.DELETE));

        StreamState deleted = changedState(decision);
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(deleted.getVersion()).isEqualTo(4);
        assertThat(deleted.getTruncatedBefore()).isEqualTo(5);
        assertThat(((StreamLifecycle.Changed) decision).marker())
                .isEqualTo(new StreamMarker(StreamMarker.Kind.DELETED, "S-1", 4, 5, OptionalLong.empty(), OptionalLong.empty()));
    }

    @Test
    void aDeleteExpectingAnotherVersionIsAConflictWithTheActualVersion() {
        assertThat(decide(atVersion(4), 3, change(StreamChangeKind.DELETE)))
                .isEqualTo(new StreamLifecycle.Refused(AppendOutcome.WRONG_EXPECTED_VERSION, 4, "wrong expected version"));
    }

    @Test
    void deletingADeletedStreamIsRefusedAsDeletedButTombstoningItIsAllowed() {
        StreamState deleted = changedState(decide(atVersion(2), -1, change(StreamChangeKind.DELETE)));

        assertThat(decide(deleted, -1, change(StreamChangeKind.DELETE)))
                .isInstanceOfSatisfying(StreamLifecycle.Refused.class, r -> assertThat(r.outcome()).isEqualTo(AppendOutcome.STREAM_DELETED));
        assertThat(changedState(decide(deleted, 2, change(StreamChangeKind.TOMBSTONE))).getTombstoned()).isTrue();
    }

    @Test
    void aSoftDeletedStreamTakesAppendsExpectingNoStreamOrAnyAfterItsLastVersionOnly() {
        StreamState deleted = changedState(decide(atVersion(3), -1, change(StreamChangeKind.DELETE)));

        assertThat(StreamLifecycle.decideAppend(deleted, NO_STREAM, 0, 2)).isEqualTo(new VersionDecision.Append(4, 5));
        assertThat(StreamLifecycle.decideAppend(deleted, ANY, 0, 1)).isEqualTo(new VersionDecision.Append(4, 4));
        assertThat(StreamLifecycle.decideAppend(deleted, STREAM_EXISTS, 0, 1)).isEqualTo(new VersionDecision.Conflict(3));
        assertThat(StreamLifecycle.decideAppend(deleted, EXACT, 3, 1)).isEqualTo(new VersionDecision.Conflict(3));
        StreamState again = StreamLifecycle.afterAppend(deleted, 5, NOW);
        assertThat(again.getDeleted()).isFalse();
        assertThat(again.getTruncatedBefore()).as("the deleted events stay unreadable").isEqualTo(4);
    }

    @Test
    void aTombstonedStreamRefusesAppendsAndEveryChange() {
        StreamState tombstoned = changedState(decide(atVersion(1), -1, change(StreamChangeKind.TOMBSTONE)));

        assertThat(StreamLifecycle.refusesAppends(tombstoned)).get()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(AppendOutcome.STREAM_TOMBSTONED));
        for (StreamChangeKind kind : StreamChangeKind.values()) {
            assertThat(decide(tombstoned, -1, change(kind))).isInstanceOfSatisfying(StreamLifecycle.Refused.class,
                    r -> assertThat(r.outcome()).isEqualTo(AppendOutcome.STREAM_TOMBSTONED));
        }
    }

    @Test
    void truncatingPastTheNextVersionIsOutOfRangeAndAnEarlierPointThanBeforeChangesNothing() {
        StreamChange beyond = StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(5).build();
        StreamChange all = StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(4).build();
        StreamChange earlier = StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(2).build();

        assertThat(decide(atVersion(3), -1, beyond)).isInstanceOfSatisfying(StreamLifecycle.Refused.class, r -> {
            assertThat(r.outcome()).isEqualTo(AppendOutcome.VERSION_OUT_OF_RANGE);
            assertThat(r.actual()).isEqualTo(3);
        });
        StreamState truncated = changedState(decide(atVersion(3), -1, all));
        assertThat(truncated.getTruncatedBefore()).isEqualTo(4);
        assertThat(changedState(decide(truncated, -1, earlier)).getTruncatedBefore()).isEqualTo(4);
    }

    @Test
    void metadataReplacesTheRetentionAndAMalformedOneIsRefusedBeforeAnyDecision() {
        StreamChange keepTen = StreamChange.newBuilder().setKind(StreamChangeKind.SET_METADATA).setMaxCount(10L).build();

        StreamState kept = changedState(decide(null, -1, keepTen));

        assertThat(kept.getMaxCount()).isEqualTo(10L);
        assertThat(kept.getMaxAgeMillis()).isNull();
        assertThat(kept.getVersion()).as("metadata may precede the first event").isZero();
        assertThat(StreamLifecycle.problemWith(StreamChange.newBuilder(keepTen).setMaxCount(0L).build())).isPresent();
        assertThat(StreamLifecycle.problemWith(StreamChange.newBuilder(keepTen).setMaxAgeMillis(-5L).build())).isPresent();
        assertThat(StreamLifecycle.problemWith(StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(0).build()))
                .isPresent();
    }
}
