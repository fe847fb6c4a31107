package dev.eventstore.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/** The benchmark's workloads, each run the same way against either target. */
final class Workloads {

    private static final Duration WAIT = Duration.ofMinutes(10);

    record Throughput(long appends, long events, double seconds) {
        double appendsPerSecond() {
            return appends / seconds;
        }

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    record Race(long successes, long conflicts, boolean gaplessAndUnique) {}

    /**
     * @param nanos per-append latency from its scheduled send time to its answer, in nanoseconds
     * @param failed appends refused or failed: a failed append makes its stream's later ones conflict
     */
    record Latency(Percentiles nanos, double offeredPerSecond, long failed) {}

    /** Called with each acknowledged append of an open-loop run; times in {@link System#nanoTime()}. */
    interface AckListener {
        void acked(String stream, long version, long scheduledNanos, long ackedNanos);
    }

    /** Runs shorter than this many appends (the warm-up rounds, for instance) print no progress. */
    private static final int PROGRESS_FROM = 20_000;

    private final PrintStream progress;
    private final Map<BenchTarget, AtomicLong> appended = new ConcurrentHashMap<>();

    Workloads(PrintStream progress) {
        this.progress = progress;
    }

    /**
     * Appends to {@code target} until it holds exactly {@code total} events (nothing when it holds as many or
     * more): appends of 100 events over up to 1,000 streams, the last hundred's rest one event at a time.
     */
    void fillTo(BenchTarget target, String prefix, long total) throws InterruptedException {
        long missing = total - appendedEvents(target);
        long appendsOfHundred = missing / 100;
        if (appendsOfHundred > 0) {
            appends(target, prefix, (int) Math.min(1_000, appendsOfHundred), (int) appendsOfHundred, 100, 1_000);
        }
        int rest = (int) (missing % 100);
        if (rest > 0) {
            appends(target, prefix + "rest-", rest, rest, 1, rest);
        }
    }

    /** Events acknowledged by a target in this run (what a catch-up from the beginning must read). */
    long appendedEvents(BenchTarget target) {
        return appended.computeIfAbsent(target, t -> new AtomicLong()).get();
    }

    private CompletableFuture<Long> send(BenchTarget target, String stream, long expected, int events) {
        return target.append(stream, expected, events).whenComplete((version, error) -> {
            if (error == null) {
                appended.computeIfAbsent(target, t -> new AtomicLong()).addAndGet(events);
            }
        });
    }

    /**
     * W1 and W2: appends over {@code streams} streams, each with the stream's exact expected version, one
     * append in flight per stream and at most {@code maxInFlight} in all.
     */
    Throughput appends(BenchTarget target, String prefix, int streams, int appends, int eventsPerAppend, int maxInFlight)
            throws InterruptedException {
        return appends(target, prefix, streams, appends, eventsPerAppend, maxInFlight, false);
    }

    /** As {@link #appends(BenchTarget, String, int, int, int, int)}, each append expecting any version when {@code expectAny}. */
    Throughput appends(BenchTarget target, String prefix, int streams, int appends, int eventsPerAppend, int maxInFlight,
                       boolean expectAny) throws InterruptedException {
        long[] versions = new long[streams];
        LinkedBlockingQueue<Integer> ready = new LinkedBlockingQueue<>();
        for (int s = 0; s < streams; s++) {
            ready.add(s);
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        CountDownLatch done = new CountDownLatch(appends);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < appends; i++) {
            int s = ready.take();
            inFlight.acquire();
            send(target, prefix + s, expectAny ? BenchTarget.ANY : versions[s], eventsPerAppend).whenComplete((version, error) -> {
                if (error == null) {
                    versions[s] = version;
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error instanceof CompletionException ? error.getCause() : error);
                }
                inFlight.release();
                ready.add(s); // after the version is written: the next take sees it
                done.countDown();
            });
            if (appends >= PROGRESS_FROM && i > 0 && i % (appends / 5) == 0) {
                progress.printf("      %s: %,d of %,d appends sent%n", target.name(), i, appends);
            }
        }
        await(done);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " appends failed on " + target.name() + ", the first with: "
                    + firstFailure.get(), firstFailure.get());
        }
        return new Throughput(appends, (long) appends * eventsPerAppend, seconds);
    }

    /** W3's medians, in ms, for each target. */
    record ReadMedians(double store, double baseline) {}

    /**
     * W3: writes a stream of {@code length} events to each target, then reads each whole {@code times}
     * times, the two targets in turn (store, baseline, store, ...), so that whatever else the box does
     * (a JIT compiler finishing, the OS) falls on both alike; the median of each, in ms.
     */
    ReadMedians readMedianMillis(BenchTarget store, BenchTarget baseline, String stream, int length, int times) throws Exception {
        writeStream(store, stream, length);
        writeStream(baseline, stream, length);
        long[] storeNanos = new long[times];
        long[] baselineNanos = new long[times];
        for (int i = 0; i < times; i++) {
            storeNanos[i] = timedRead(store, stream, length);
            baselineNanos[i] = timedRead(baseline, stream, length);
        }
        return new ReadMedians(new Percentiles(storeNanos).at(50) / 1e6, new Percentiles(baselineNanos).at(50) / 1e6);
    }

    private void writeStream(BenchTarget target, String stream, int length) throws Exception {
        long version = 0;
        for (int written = 0; written < length; written += 10) {
            version = send(target, stream, version, Math.min(10, length - written)).get(1, TimeUnit.MINUTES);
        }
        target.awaitReadable(stream, version);
    }

    private static long timedRead(BenchTarget target, String stream, int length) {
        long start = System.nanoTime();
        List<Long> read = target.readStream(stream);
        long nanos = System.nanoTime() - start;
        if (read.size() != length) {
            throw new IllegalStateException(target.name() + " read " + read.size() + " events of " + stream + ", not " + length);
        }
        return nanos;
    }

    /**
     * W4: writers race on one stream, each appending with the version it last saw (its own success or
     * the actual version a conflict reported), for {@code attempts} attempts in all.
     */
    Race race(BenchTarget target, String stream, int writers, int attempts) throws Exception {
        AtomicLong remaining = new AtomicLong(attempts);
        AtomicLong successes = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread writer = new Thread(() -> {
                long known = 0;
                while (remaining.getAndDecrement() > 0) {
                    try {
                        known = send(target, stream, known, 1).join();
                        successes.incrementAndGet();
                    } catch (CompletionException e) {
                        if (!(e.getCause() instanceof BenchTarget.Conflict conflict)) {
                            throw e;
                        }
                        known = conflict.actualVersion;
                        conflicts.incrementAndGet();
                    }
                }
            });
            writer.start();
            threads.add(writer);
        }
        for (Thread writer : threads) {
            writer.join(WAIT.toMillis());
        }
        target.awaitReadable(stream, successes.get());
        List<Long> versions = target.readStream(stream);
        boolean exact = versions.equals(LongStream.rangeClosed(1, successes.get()).boxed().toList());
        return new Race(successes.get(), conflicts.get(), exact);
    }

    /**
     * Open loop: single-event appends sent on a fixed schedule at {@code perSecond}, whatever the
     * answers; each latency counts from the scheduled time, so a stall shows in the figures instead of
     * slowing the load (no coordinated omission). Each append states its stream's exact expected version,
     * as W1's do (the rate is a fraction of W1's): the streams take appends in turn, so an append expects
     * as many events as were sent to its stream before it, without waiting for their answers.
     */
    Latency openLoop(BenchTarget target, String prefix, int streams, double perSecond, Duration duration, AckListener listener)
            throws InterruptedException {
        RatePacer pacer = new RatePacer(perSecond, System.nanoTime() + 50_000_000);
        int n = pacer.sends(duration);
        long[] latencies = new long[n];
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            long scheduled = pacer.scheduledNanos(i);
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            String stream = prefix + (i % streams);
            send(target, stream, i / streams, 1).whenComplete((version, error) -> {
                long now = System.nanoTime();
                latencies[index] = now - scheduled;
                if (error != null) {
                    failed.incrementAndGet();
                } else if (listener != null) {
                    listener.acked(stream, version, scheduled, now);
                }
                done.countDown();
            });
        }
        await(done);
        return new Latency(new Percentiles(latencies), perSecond, failed.get());
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(done.getCount() + " operations unanswered after " + WAIT);
        }
    }
}
