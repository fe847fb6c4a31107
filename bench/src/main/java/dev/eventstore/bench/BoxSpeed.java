package dev.eventstore.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How fast the box runs a fixed piece of work, sampled every half second through a run, so that each workload's
 * figures can be read against the speed the box had while they were measured, within a run and across runs. On these
 * machines (a microVM sharing its host) the same work took up to 1.8 times as long from one minute to the next, with
 * nothing else running in the VM and no steal time reported (BENCHMARKS.md, "The box's speed"): a row measured in a
 * slow phase is not the targets' doing.
 *
 * <p>The work is arithmetic over a table that fits in the core's first-level cache, timed by this thread's CPU time:
 * waiting for a core is not counted, and the caches the stack's processes share touch it little, so what makes it
 * slower is the core itself (the host's other tenants, a busy sibling thread, the clock). A walk over a table larger
 * than the caches, tried first, measured the stack's own load instead (4.5 times slower under it than on the idle box).
 * Costs under a hundredth of a core.
 */
final class BoxSpeed implements AutoCloseable {

    private static final int STEPS = 1_000_000;
    private static final long INTERVAL_MILLIS = 500;
    private static final int WARM_UP_UNITS = 200;

    private record Sample(long atNanos, long cpuNanos) {}

    private record Section(String name, long fromNanos) {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int[] table = new int[1 << 10];
    private final List<Sample> samples = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final ScheduledExecutorService sampler;
    private volatile long sink;

    private BoxSpeed() {
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-box-speed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sampling, after running the work until it is compiled; empty where threads' CPU time cannot be read. */
    static Optional<BoxSpeed> start() {
        if (!ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()) {
            return Optional.empty();
        }
        BoxSpeed speed = new BoxSpeed();
        speed.sampler.execute(() -> {
            for (int i = 0; i < WARM_UP_UNITS; i++) {
                speed.sink += speed.unit();
            }
        });
        speed.sampler.scheduleWithFixedDelay(speed::sample, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(speed);
    }

    /** The run enters the workload {@code name}: what is sampled from now until the next section counts for it. */
    synchronized void enter(String name) {
        sections.add(new Section(name, System.nanoTime()));
    }

    /**
     * Each section's median time for the work, in milliseconds of CPU: comparable between runs on one kind of machine
     * (a section entered twice gets the slower of its medians).
     */
    synchronized Map<String, Double> medianMillis() {
        Map<String, Double> millis = new LinkedHashMap<>();
        for (int i = 0; i < sections.size(); i++) {
            long from = sections.get(i).fromNanos();
            long to = i + 1 < sections.size() ? sections.get(i + 1).fromNanos() : Long.MAX_VALUE;
            double[] within = samples.stream().filter(s -> s.atNanos() >= from && s.atNanos() < to)
                    .mapToDouble(Sample::cpuNanos).toArray();
            if (within.length > 0) {
                millis.merge(sections.get(i).name(), Medians.of(within) / 1e6, Math::max);
            }
        }
        return millis;
    }

    void addTo(BenchReport report) {
        medianMillis().forEach((section, millis) ->
                report.add("box", "fixed work during " + section + ", median (lower: a faster box)", "ms", millis, null));
    }

    private void sample() {
        long cpu = threads.getCurrentThreadCpuTime();
        sink += unit();
        long used = threads.getCurrentThreadCpuTime() - cpu;
        synchronized (this) {
            samples.add(new Sample(System.nanoTime(), used));
        }
    }

    private long unit() {
        int x = 0x2545F491;
        long sum = 0;
        int mask = table.length - 1;
        for (int i = 0; i < STEPS; i++) {
            x = x * 1_103_515_245 + 12_345;
            int slot = (x >>> 11) & mask;
            table[slot] += i;
            sum += table[slot];
        }
        return sum;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
