package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamChange;
import dev.eventstore.schemas.store.StreamChangeKind;
import java.util.List;
import java.util.Optional;

/** Builds the wire form of a lifecycle change: a {@link StreamAppend} without events carrying a {@link StreamChange}. */
final class StreamChangeEncoding {

    private StreamChangeEncoding() {}

    static StreamChange delete() {
        return StreamChange.newBuilder().setKind(StreamChangeKind.DELETE).build();
    }

    static StreamChange tombstone() {
        return StreamChange.newBuilder().setKind(StreamChangeKind.TOMBSTONE).build();
    }

    /** @throws InvalidAppendException when {@code beforeVersion} is below 1 */
    static StreamChange truncate(String streamId, long beforeVersion) {
        if (beforeVersion < 1) {
            throw new InvalidAppendException("truncating " + streamId + " refused: truncate before version must be 1 or more, not "
                    + beforeVersion);
        }
        return StreamChange.newBuilder().setKind(StreamChangeKind.TRUNCATE).setTruncateBefore(beforeVersion).build();
    }

    static StreamChange metadata(StreamMetadata metadata) {
        return StreamChange.newBuilder().setKind(StreamChangeKind.SET_METADATA)
                .setMaxCount(metadata.maxCount().isPresent() ? metadata.maxCount().getAsLong() : null)
                .setMaxAgeMillis(metadata.maxAge().map(age -> age.toMillis()).orElse(null))
                .build();
    }

    /** @throws InvalidAppendException when the stream id breaks a rule of {@link AppendLimits} */
    static StreamAppend toStreamAppend(String streamId, ExpectedVersion expected, StreamChange change, AppendOptions options,
                                       String requestId, AppendLimits limits) {
        Optional<String> problem = expected == null ? Optional.of("expected version must not be null")
                : limits.problemWithStreamId(streamId);
        if (problem.isPresent()) {
            throw new InvalidAppendException(change.getKind().name().toLowerCase() + " of " + streamId + " refused: " + problem.get());
        }
        return StreamAppend.newBuilder()
                .setRequestId(requestId)
                .setStreamId(streamId)
                .setExpectedKind(ExpectedVersionWire.kindOf(expected))
                .setExpectedVersion(expected.version())
                .setCorrelationId(options.correlationId().orElse(null))
                .setCausationId(options.causationId().orElse(null))
                .setEvents(List.of())
                .setChange(change)
                .build();
    }
}
