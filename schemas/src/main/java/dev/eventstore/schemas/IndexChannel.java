package dev.eventstore.schemas;

/**
 * The PostgreSQL notification channel on which the indexer announces each committed batch of an index
 * schema, so readers waiting for a version wake up without polling.
 */
public final class IndexChannel {

    private static final int MAX_IDENTIFIER = 63;
    private static final String PREFIX = "es_indexed_";

    private IndexChannel() {}

    /** The channel of an index schema (a lower-case SQL identifier, hence a valid channel name too). */
    public static String of(String indexSchema) {
        String channel = PREFIX + indexSchema;
        // PostgreSQL refuses channel names longer than an identifier; long schemas get a hashed name.
        return channel.length() <= MAX_IDENTIFIER ? channel : PREFIX + Integer.toHexString(indexSchema.hashCode());
    }
}
