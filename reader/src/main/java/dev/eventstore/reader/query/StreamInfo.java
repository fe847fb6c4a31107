package dev.eventstore.reader.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the index knows of a stream.
 *
 * @param version the stream's current version as indexed (its last event's version)
 * @param firstEventAt when the stream's first event was recorded in the log
 * @param lastEventAt when its last indexed event (or lifecycle change) was recorded in the log
 * @param deleted soft- or hard-deleted: reading it fails with {@link StreamDeletedException}
 * @param tombstoned hard-deleted: never written again
 * @param truncatedBefore the first version still readable after a truncation or deletion; 0 when none
 * @param maxCount retention: reads return at most this many latest events
 * @param maxAge retention: reads return no event older than this
 */
public record StreamInfo(String streamId, long version, Instant firstEventAt, Instant lastEventAt, boolean deleted,
                         boolean tombstoned, long truncatedBefore, OptionalLong maxCount, Optional<Duration> maxAge) {

    /** A live stream without truncation or retention. */
    public StreamInfo(String streamId, long version, Instant firstEventAt, Instant lastEventAt) {
        this(streamId, version, firstEventAt, lastEventAt, false, false, 0, OptionalLong.empty(), Optional.empty());
    }
}
