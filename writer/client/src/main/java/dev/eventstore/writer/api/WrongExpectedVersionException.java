package dev.eventstore.writer.api;

/**
 * The stream's version was not what the append expected; nothing was appended. Retrying the same append
 * cannot help: read the stream from {@link #actualVersion()} on, decide again, and append with the new
 * expected version.
 */
public class WrongExpectedVersionException extends AppendException {

    private final String streamId;
    private final ExpectedVersion expectedVersion;
    private final long actualVersion;

    public WrongExpectedVersionException(String streamId, ExpectedVersion expectedVersion, long actualVersion) {
        super("Wrong expected version: " + expectedVersion + " (stream: " + streamId + ", actual version: " + actualVersion + ")");
        this.streamId = streamId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expectedVersion() {
        return expectedVersion;
    }

    /** The stream's version when the append was decided; 0 when the stream does not exist. */
    public long actualVersion() {
        return actualVersion;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
