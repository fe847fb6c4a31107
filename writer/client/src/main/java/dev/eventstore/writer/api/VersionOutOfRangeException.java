package dev.eventstore.writer.api;

/** A truncation named a version past the stream's end (its version + 1); nothing was changed. */
public class VersionOutOfRangeException extends AppendException {

    private final String streamId;
    private final long requestedVersion;
    private final long actualVersion;

    public VersionOutOfRangeException(String streamId, long requestedVersion, long actualVersion) {
        super("Version " + requestedVersion + " is beyond the end of stream " + streamId + " (actual version: "
                + actualVersion + "; truncate before at most " + (actualVersion + 1) + ")");
        this.streamId = streamId;
        this.requestedVersion = requestedVersion;
        this.actualVersion = actualVersion;
    }

    public String streamId() {
        return streamId;
    }

    public long requestedVersion() {
        return requestedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
