package dev.eventstore.writer.api;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that complete the appends' futures, and so run the callers' callbacks ({@code thenApply},
 * {@code whenComplete}, …). Not the thread that reads the results, nor the producer's or the timeouts': a callback
 * that blocks there (waiting for another append's result, say) would hold up every result behind it, its own
 * awaited result included, until the appends timed out.
 *
 * <p>One thread completes everything while callbacks are quick: the results of one poll go to it as one task, so a
 * busy client hands over a batch, not each append (the results of a batch wait for each other's callbacks). A task
 * that finds every thread busy (a callback blocking) gets a thread of its own; threads idle for a minute end, down to
 * the one.
 */
final class Completions implements Executor {

    private final ThreadPoolExecutor threads;

    Completions() {
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(1, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> AppendClient.daemon(runnable, "append-completions-" + count.incrementAndGet()));
    }

    /** Runs {@code completion} on a completion thread; on the calling one once the client has closed. */
    @Override
    public void execute(Runnable completion) {
        try {
            threads.execute(completion);
        } catch (RejectedExecutionException closed) {
            completion.run();
        }
    }

    /** Lets the completions handed over run to their end; takes no more. */
    void close() {
        threads.shutdown();
    }
}
