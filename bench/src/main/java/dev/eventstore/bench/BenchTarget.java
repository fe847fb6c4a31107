package dev.eventstore.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the workloads drive: the store, or the PostgreSQL event store it is compared with. */
interface BenchTarget extends AutoCloseable {

    /** Expected version of an append that does not check it. */
    long ANY = -2;
    /** Expected version of an append to a stream that must not exist yet. */
    long NO_STREAM = 0;

    String name();

    /**
     * Appends {@code events} events; completes with the stream's last version, or exceptionally with
     * {@link Conflict} when the stream was not at {@code expectedVersion}.
     */
    CompletableFuture<Long> append(String stream, long expectedVersion, int events);

    /** Reads a whole stream, in version order, from where this target serves reads. */
    List<Long> readStream(String stream);

    /** Waits until reads see the stream at {@code version} (the store's index trails its log). */
    void awaitReadable(String stream, long version);

    /**
     * Waits until the work behind {@code events} acknowledged events is done: the store's index has
     * caught up with them; the baseline, synchronous, has nothing left to do.
     */
    default void settle(long events) throws InterruptedException {}

    /**
     * Reads every event from the first, as a catch-up subscriber does, until {@code total} were seen;
     * returns the events seen and when the first and the last of them were.
     */
    CaughtUp catchUp(long total) throws Exception;

    @Override
    void close();

    /** The stream was at another version; nothing was appended. */
    final class Conflict extends RuntimeException {
        final long actualVersion;

        Conflict(long actualVersion) {
            super("stream at version " + actualVersion, null, false, false);
            this.actualVersion = actualVersion;
        }
    }
}
