package dev.eventstore.writer.api;

/**
 * A successful append.
 *
 * @param streamId the stream appended to
 * @param firstVersion the version of the first appended event
 * @param lastVersion the version of the last appended event: the stream's version after the append, to
 *     pass as the expected version of the next append or to a read-your-writes read
 * @param requestId the append's request id
 * @param duplicate true when the request id had been applied before and this is that original result
 */
public record AppendResult(String streamId, long firstVersion, long lastVersion, String requestId, boolean duplicate) {}
