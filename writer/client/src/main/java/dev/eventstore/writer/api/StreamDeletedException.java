package dev.eventstore.writer.api;

/**
 * The stream is deleted; nothing was written. A tombstoned (hard-deleted) stream refuses every append and
 * change for ever; a soft-deleted one refuses being deleted again, truncated or given metadata, while an
 * append expecting no stream or any version starts it again. Retrying the same request cannot help.
 */
public class StreamDeletedException extends AppendException {

    private final String streamId;
    private final boolean tombstoned;
    private final long version;

    public StreamDeletedException(String streamId, boolean tombstoned, long version) {
        super("Stream " + streamId + (tombstoned ? " is tombstoned (hard-deleted) and can never be written again"
                : " is deleted; append expecting no stream or any version to start it again") + " (version " + version + ")");
        this.streamId = streamId;
        this.tombstoned = tombstoned;
        this.version = version;
    }

    public String streamId() {
        return streamId;
    }

    /** True for a hard delete: the stream id can never be used again. */
    public boolean tombstoned() {
        return tombstoned;
    }

    /** The stream's version: its last event's, kept after the deletion. */
    public long version() {
        return version;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
