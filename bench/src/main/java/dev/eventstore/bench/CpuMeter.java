package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** The stack's CPU, where the platform lets the bench read it (see {@link StackCpu}): what a run costs. */
final class CpuMeter {

    /** A throughput run and the CPU the stack spent on it, the index's catch-up included. */
    record Measured(Workloads.Throughput throughput, Optional<StackCpu.Use> cpu) {}

    private final Optional<StackCpu> cpu;

    private CpuMeter(Optional<StackCpu> cpu) {
        this.cpu = cpu;
    }

    static CpuMeter of(LocalStack stack) {
        return new CpuMeter(StackCpu.supported() ? Optional.of(new StackCpu(stack.dataDir().resolve("postgres"))) : Optional.empty());
    }

    Optional<StackCpu.Use> now() {
        return cpu.map(StackCpu::now);
    }

    Optional<StackCpu.Use> usedSince(Optional<StackCpu.Use> before) {
        return cpu.map(meter -> meter.now().minus(before.orElseThrow()));
    }

    Measured measured(Workloads workloads, BenchTarget target, Callable<Workloads.Throughput> run) throws Exception {
        Optional<StackCpu.Use> before = now();
        Workloads.Throughput throughput = run.call();
        target.settle(workloads.appendedEvents(target));
        return new Measured(throughput, usedSince(before));
    }

    /** What the stack takes with no load (the gate, the indexer and the clients polling; the broker's timers), in cores. */
    Optional<Double> idleCores(Duration sample) throws InterruptedException {
        Optional<StackCpu.Use> before = now();
        long start = System.nanoTime();
        Thread.sleep(sample.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        return usedSince(before).map(use -> use.total() / seconds);
    }
}
