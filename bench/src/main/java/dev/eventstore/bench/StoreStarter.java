package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import java.nio.file.Path;

/**
 * Starts the store's own processes (the gate and the indexer) on the embedded stack. The launcher supplies
 * it when it registers the command, so that the bench runs the store exactly as {@code ./eventstore local}
 * does without depending on the launcher.
 */
@FunctionalInterface
public interface StoreStarter {

    RunningStore start(LocalStack stack, StoreTopics topics, Path gateStateDir, String indexSchema);

    /** The started processes; closing stops them. */
    interface RunningStore extends AutoCloseable {

        /** Partitions of the store's topics. */
        int partitions();

        /** Events the indexer has written to PostgreSQL so far. */
        long indexedEvents();

        @Override
        void close();
    }
}
