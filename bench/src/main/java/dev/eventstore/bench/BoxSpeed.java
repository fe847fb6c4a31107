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
 * figures can be read against the speed the box had while they were measured. On these machines (a microVM sharing
 * its host) the same work took up to 1.8 times as long from one minute to the next, with nothing else running in the
 * VM and no steal time reported (BENCHMARKS.md, "The box's speed"): a row measured in a slow phase is not the
 * targets' doing.
 *
 * <p>The work is a fixed walk of pseudo-random reads and writes over a 4 MB table (memory-bound, as an index's B-trees
 * are), timed by this thread's CPU time: waiting for a core is not counted, whatever else makes the same instructions
 * slower is (the host, a busy sibling of the core, the caches the stack shares). Costs about a hundredth of a core.
 */
final class BoxSpeed implements AutoCloseable {

    private static final int STEPS = 200_000;
    private static final long INTERVAL_MILLIS = 500;
    private static final int WARM_UP_UNITS = 200;

    private record Sample(long atNanos, long cpuNanos) {}

    private record Section(String name, long fromNanos) {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int[] table = new int[1 << 20];
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
     * Each section's speed: the fastest sample of the whole run divided by the section's median sample (1 = as fast as
     * the box was at its fastest; 0.5 = the same work took twice as long).
     */
    synchronized Map<String, Double> ofTheFastest() {
        long fastest = samples.stream().mapToLong(Sample::cpuNanos).min().orElse(0);
        Map<String, Double> speeds = new LinkedHashMap<>();
        for (int i = 0; i < sections.size(); i++) {
            long from = sections.get(i).fromNanos();
            long to = i + 1 < sections.size() ? sections.get(i + 1).fromNanos() : Long.MAX_VALUE;
            double[] within = samples.stream().filter(s -> s.atNanos() >= from && s.atNanos() < to)
                    .mapToDouble(Sample::cpuNanos).toArray();
            if (within.length > 0) {
                speeds.merge(sections.get(i).name(), fastest / Medians.of(within), Math::min);
            }
        }
        return speeds;
    }

    void addTo(BenchReport report) {
        ofTheFastest().forEach((section, speed) ->
                report.add("box", "speed during " + section + " (1 = the run's fastest half second)", "ratio", speed, null));
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
