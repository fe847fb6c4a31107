package dev.eventstore.writer.load;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendNotSentException;
import dev.eventstore.writer.api.AppendOptions;
import dev.eventstore.writer.api.EventIds;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.AppendOutcomeUnknownException;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A load for fault tests and failover measurements: writers append to streams of their own, one event at a
 * time with the exact expected version, and record every acknowledged append with when it was first sent
 * and when it was acknowledged. An append whose outcome is unknown is retried with the same request id, as
 * a careful client does; every client error is counted by type. {@link LoadVerdict#of} compares the record
 * with the log.
 */
public final class ExactVersionLoad {

    /** One acknowledged append: its event, and its first send and acknowledgement on {@link System#nanoTime()}. */
    public record Ack(String stream, long version, UUID eventId, long sentNanos, long ackedNanos) {}

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> writers = new ArrayList<>();

    private ExactVersionLoad(int writerCount) {
        this.pool = Executors.newFixedThreadPool(writerCount);
    }

    /** Starts {@code writers} writers over {@code streams} new streams named {@code <prefix>-<n>-<uuid>}. */
    public static ExactVersionLoad start(AppendClient client, String prefix, int streams, int writers) {
        ExactVersionLoad load = new ExactVersionLoad(writers);
        for (int w = 0; w < writers; w++) {
            List<String> mine = new ArrayList<>();
            for (int s = w; s < streams; s += writers) {
                mine.add(prefix + "-" + s + "-" + UUID.randomUUID());
            }
            load.writers.add(load.pool.submit(() -> load.write(client, mine)));
        }
        return load;
    }

    public int acknowledged() {
        return acks.size();
    }

    public List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Client errors seen so far, by exception type (each retried with the same request id). */
    public Map<String, Long> errorsByType() {
        Map<String, Long> byType = new TreeMap<>();
        errors.forEach((type, count) -> byType.put(type, count.sum()));
        return byType;
    }

    /** Stops the writers after their current append (which may have to wait for the store to come back). */
    public void stop() throws ExecutionException, InterruptedException {
        loading.set(false);
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
    }

    private Void write(AppendClient client, List<String> streams) throws InterruptedException {
        Map<String, Long> versions = new HashMap<>();
        while (loading.get()) {
            for (String stream : streams) {
                NewEvent event = NewEvent.of(new MoneyDeposited(stream, 100L));
                // One key for every attempt of this append: a retry after an unknown outcome appends it at most once.
                AppendOptions options = AppendOptions.defaults().idempotencyKey(EventIds.next().toString());
                long sent = System.nanoTime();
                while (true) {
                    try {
                        AppendResult result = client.append(stream, ExpectedVersion.exactly(versions.getOrDefault(stream, 0L)),
                                List.of(event), options).get();
                        acks.add(new Ack(stream, result.lastVersion(), event.eventId(), sent, System.nanoTime()));
                        versions.put(stream, result.lastVersion());
                        break;
                    } catch (ExecutionException e) {
                        errors.computeIfAbsent(e.getCause().getClass().getSimpleName(), type -> new LongAdder()).increment();
                        if (e.getCause() instanceof WrongExpectedVersionException conflict) {
                            // Never expected (each writer owns its streams): counted above, and the writer moves on.
                            versions.put(stream, conflict.actualVersion());
                            break;
                        }
                        if (!(e.getCause() instanceof AppendOutcomeUnknownException || e.getCause() instanceof AppendNotSentException)) {
                            throw new IllegalStateException("append to " + stream + " failed: " + e.getCause(), e.getCause());
                        }
                        if (!loading.get()) {
                            return null; // never acknowledged: whether it is in the log does not matter
                        }
                        Thread.sleep(50);
                    }
                }
            }
        }
        return null;
    }
}
