package dev.eventstore.bench;

import java.util.List;
import java.util.Optional;

/**
 * The report's CPU rows: microseconds per unit (append or event), all processes and by role. The idle
 * stack's background (the broker, the gate and the indexer polling) counts for both targets.
 */
final class CpuRows {

    private CpuRows() {}

    static void add(BenchReport report, String workload, String per, StackCpu.Use store, Optional<StackCpu.Use> baseline, long units) {
        add(report, workload, per, store, units, baseline, units);
    }

    /** As above, where the two targets did different numbers of units. */
    static void add(BenchReport report, String workload, String per, StackCpu.Use store, long storeUnits,
                    Optional<StackCpu.Use> baseline, long baselineUnits) {
        report.add(workload, "CPU " + per + ", all processes", "µs", store.total() * 1e6 / storeUnits,
                baseline.map(use -> use.total() * 1e6 / baselineUnits).orElse(null));
        for (StackCpu.Role role : List.of(StackCpu.Role.BROKER, StackCpu.Role.POSTGRESQL, StackCpu.Role.BENCH_JVM)) {
            report.add(workload, "  of which " + role.label, "µs", store.of(role) * 1e6 / storeUnits,
                    baseline.map(use -> use.of(role) * 1e6 / baselineUnits).orElse(null));
        }
        report.add(workload, "  of which JIT compilers (all JVMs)", "µs", store.jitSeconds() * 1e6 / storeUnits,
                baseline.map(use -> use.jitSeconds() * 1e6 / baselineUnits).orElse(null));
    }
}
