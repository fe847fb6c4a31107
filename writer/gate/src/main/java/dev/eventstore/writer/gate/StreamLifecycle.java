package dev.eventstore.writer.gate;

import dev.eventstore.schemas.StreamMarker;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamChange;
import dev.eventstore.schemas.store.StreamChangeKind;
import dev.eventstore.schemas.store.StreamState;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lifecycle rules of the gate, without Kafka, beside {@link VersionDecision}: what a soft delete, a
 * hard delete (tombstone), a truncation or new retention metadata does to a stream's state, and how a
 * deleted stream takes appends.
 *
 * <ul>
 *   <li>A tombstoned stream refuses everything, for ever.</li>
 *   <li>A soft-deleted stream keeps its version: an append expecting no stream or any version starts it
 *       again after it (versions are never reused); one expecting an existing stream or an exact version
 *       is a conflict. Deleting it again, truncating it or setting its metadata is refused as deleted.</li>
 *   <li>Deleting, tombstoning and truncating check the expected version against the stream's version as
 *       an append does (a soft-deleted stream may still be tombstoned).</li>
 *   <li>Truncating before a version past the next one is out of range; truncating before an earlier
 *       truncation point changes nothing.</li>
 * </ul>
 */
final class StreamLifecycle {

    private StreamLifecycle() {}

    sealed interface Decision {}

    /** Applied: the stream's new state and the marker the gate writes. */
    record Changed(StreamState next, StreamMarker marker) implements Decision {}

    /** Refused with this outcome; {@code actual} is the stream's version. */
    record Refused(AppendOutcome outcome, long actual, String why) implements Decision {}

    /** Why no append may be made to the stream at all, whatever it expects. */
    static Optional<Refused> refusesAppends(StreamState state) {
        return state != null && state.getTombstoned()
                ? Optional.of(new Refused(AppendOutcome.STREAM_TOMBSTONED, state.getVersion(), "stream is tombstoned"))
                : Optional.empty();
    }

    /** {@link VersionDecision#decide}, with a soft-deleted stream counting as absent while its versions go on. */
    static VersionDecision.Decision decideAppend(StreamState state, ExpectedVersionKind kind, long expected, int eventCount) {
        long current = version(state);
        if (state == null || !state.getDeleted()) {
            return VersionDecision.decide(current, kind, expected, eventCount);
        }
        return VersionDecision.decide(0, kind, expected, eventCount) instanceof VersionDecision.Append
                ? new VersionDecision.Append(current + 1, current + eventCount)
                : new VersionDecision.Conflict(current);
    }

    /** The state after an accepted append: the new version, no longer deleted, retention and truncation kept. */
    static StreamState afterAppend(StreamState state, long lastVersion, Instant now) {
        StreamState.Builder next = state == null ? StreamState.newBuilder() : StreamState.newBuilder(state);
        return next.setVersion(lastVersion).setUpdatedAt(now).setDeleted(false).build();
    }

    static Decision decideChange(StreamState state, ExpectedVersionKind kind, long expected, StreamChange change,
                                 String streamId, Instant now) {
        long current = version(state);
        Optional<Refused> tombstoned = refusesAppends(state);
        if (tombstoned.isPresent()) {
            return tombstoned.get();
        }
        boolean deleted = state != null && state.getDeleted();
        if (deleted && change.getKind() != StreamChangeKind.TOMBSTONE) {
            return new Refused(AppendOutcome.STREAM_DELETED, current, "stream is deleted");
        }
        if (VersionDecision.decide(current, kind, expected, 1) instanceof VersionDecision.Conflict) {
            return new Refused(AppendOutcome.WRONG_EXPECTED_VERSION, current, "wrong expected version");
        }
        StreamState.Builder next = (state == null ? StreamState.newBuilder().setVersion(0) : StreamState.newBuilder(state))
                .setUpdatedAt(now);
        long truncatedBefore = state == null ? 0 : state.getTruncatedBefore();
        return switch (change.getKind()) {
            case DELETE -> changed(next.setDeleted(true).setTruncatedBefore(current + 1), StreamMarker.Kind.DELETED, streamId);
            case TOMBSTONE -> changed(next.setTombstoned(true).setDeleted(true).setTruncatedBefore(current + 1),
                    StreamMarker.Kind.TOMBSTONED, streamId);
            case TRUNCATE -> change.getTruncateBefore() > current + 1
                    ? new Refused(AppendOutcome.VERSION_OUT_OF_RANGE, current, "cannot truncate before version "
                            + change.getTruncateBefore() + ": the stream ends at version " + current)
                    : changed(next.setTruncatedBefore(Math.max(truncatedBefore, change.getTruncateBefore())),
                            StreamMarker.Kind.TRUNCATED, streamId);
            case SET_METADATA -> changed(next.setMaxCount(change.getMaxCount()).setMaxAgeMillis(change.getMaxAgeMillis()),
                    StreamMarker.Kind.METADATA, streamId);
        };
    }

    /** Why a change is malformed, checked before any decision; empty when it is well-formed. */
    static Optional<String> problemWith(StreamChange change) {
        if (change.getKind() == StreamChangeKind.TRUNCATE && change.getTruncateBefore() < 1) {
            return Optional.of("truncate before version must be 1 or more, not " + change.getTruncateBefore());
        }
        if (change.getMaxCount() != null && change.getMaxCount() < 1) {
            return Optional.of("max count must be 1 or more, not " + change.getMaxCount());
        }
        if (change.getMaxAgeMillis() != null && change.getMaxAgeMillis() < 1) {
            return Optional.of("max age must be at least 1 ms, not " + change.getMaxAgeMillis() + " ms");
        }
        return Optional.empty();
    }

    private static Changed changed(StreamState.Builder next, StreamMarker.Kind kind, String streamId) {
        StreamState state = next.build();
        return new Changed(state, new StreamMarker(kind, streamId, state.getVersion(), state.getTruncatedBefore(),
                optional(state.getMaxCount()), optional(state.getMaxAgeMillis())));
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static long version(StreamState state) {
        return state == null ? 0 : state.getVersion();
    }
}
