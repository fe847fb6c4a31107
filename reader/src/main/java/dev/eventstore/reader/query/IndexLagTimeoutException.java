package dev.eventstore.reader.query;

import java.time.Duration;

/**
 * The index did not reach the version a read asked for in time. The event is in the log (its append
 * was acknowledged); the indexer is behind or stopped. Retrying later is safe.
 */
public class IndexLagTimeoutException extends ReadException {

    private final String streamId;
    private final long awaitedVersion;
    private final long indexedVersion;

    public IndexLagTimeoutException(String streamId, long awaitedVersion, long indexedVersion, Duration timeout) {
        super("the index did not reach version " + awaitedVersion + " of stream " + streamId + " within " + timeout.toMillis()
                + " ms; indexed version is " + (indexedVersion == 0 ? "none" : indexedVersion), null);
        this.streamId = streamId;
        this.awaitedVersion = awaitedVersion;
        this.indexedVersion = indexedVersion;
    }

    public String streamId() {
        return streamId;
    }

    public long awaitedVersion() {
        return awaitedVersion;
    }

    /** The stream's version in the index when the wait ended; 0 when it had no event of it. */
    public long indexedVersion() {
        return indexedVersion;
    }

    /** The indexer may catch up: waiting again can succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
