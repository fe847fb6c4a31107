package dev.eventstore.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The earlier versions of the store's own record schemas, kept as resources
 * ({@code /store-history/<Name>-<n>.avsc}, the full schema as it was generated). Single-object encoding
 * names the writer's schema by fingerprint; a decoder that knows the earlier schemas resolves records written
 * by an earlier gate or client (requests waiting in the topic, states in the gate's store and changelog)
 * to the current schema, the fields added since taking their defaults.
 */
final class StoreSchemaHistory {

    /** More than any record will ever have: the lookup stops at the first missing version. */
    private static final int MAX_VERSIONS = 100;

    private StoreSchemaHistory() {}

    static List<Schema> earlierVersionsOf(Schema current) {
        List<Schema> earlier = new ArrayList<>();
        for (int version = 1; version <= MAX_VERSIONS; version++) {
            String resource = "/store-history/" + current.getName() + "-" + version + ".avsc";
            try (InputStream in = StoreSchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                earlier.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + resource, e);
            }
        }
        return earlier;
    }
}
