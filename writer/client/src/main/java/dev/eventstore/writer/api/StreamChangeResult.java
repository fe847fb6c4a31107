package dev.eventstore.writer.api;

/**
 * A lifecycle change the gate applied (delete, tombstone, truncate, metadata).
 *
 * @param version the stream's version when the change was applied (deletion keeps it: versions are never reused)
 * @param duplicate true when the request id had been applied before and this is that original result
 */
public record StreamChangeResult(String streamId, long version, String requestId, boolean duplicate) {

    static StreamChangeResult of(AppendResult result) {
        return new StreamChangeResult(result.streamId(), result.lastVersion(), result.requestId(), result.duplicate());
    }
}
