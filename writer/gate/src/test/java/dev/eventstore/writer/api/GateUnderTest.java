package dev.eventstore.writer.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A gate the contract suite can drive: the topology test driver or the real broker. */
interface GateUnderTest {

    CompletableFuture<AppendResult> append(String streamId, ExpectedVersion expected, List<NewEvent> events, AppendOptions options);

    /** A lifecycle change of a stream, as the client sends it: delete, tombstone, truncate or metadata. */
    CompletableFuture<StreamChangeResult> change(String streamId, ExpectedVersion expected,
                                                 dev.eventstore.schemas.store.StreamChange change, AppendOptions options);

    /** The {@code es.type} of every record of a stream in the events topic (read_committed), markers included, in log order. */
    List<String> typesInLog(String streamId, int expectedCount);

    /** The versions of a stream's events in the events topic (read_committed), in log order. */
    List<Long> versionsInLog(String streamId, int expectedCount);

    /** The versions of a stream's events in the PostgreSQL index, when this gate has an indexer behind it. */
    default Optional<List<Long>> versionsInIndex(String streamId, int expectedCount) {
        return Optional.empty();
    }
}
