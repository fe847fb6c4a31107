package dev.eventstore.reader.query;

/**
 * The stream read was deleted (soft or hard, see {@link #tombstoned()}): its events are gone from the index,
 * though not from the log. Retrying cannot help; a soft-deleted stream reads again once an append starts it
 * again, from the versions after the deletion.
 */
public class StreamDeletedException extends ReadException {

    private final String streamId;
    private final boolean tombstoned;
    private final long version;

    public StreamDeletedException(String streamId, boolean tombstoned, long version) {
        super("Stream " + streamId + " is " + (tombstoned ? "tombstoned (hard-deleted)" : "deleted") + " (version " + version + ")",
                null);
        this.streamId = streamId;
        this.tombstoned = tombstoned;
        this.version = version;
    }

    public String streamId() {
        return streamId;
    }

    /** True for a hard delete: the stream id can never be written again. */
    public boolean tombstoned() {
        return tombstoned;
    }

    /** The stream's version when it was deleted. */
    public long version() {
        return version;
    }

    /** Always false: the stream stays deleted until an append starts it again. */
    public boolean isRetryable() {
        return false;
    }
}
