package dev.eventstore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used by the processes of the embedded stack, by role, read from {@code /proc} (Linux). On a
 * box whose cores are all busy, throughput is two cores divided by the CPU one append costs, so CPU per
 * append is the figure that says where a target's limit lies.
 */
final class StackCpu {

    /** Where CPU goes. */
    enum Role {
        BROKER("Kafka broker"),
        POSTGRESQL("PostgreSQL"),
        REGISTRY("schema registry"),
        BENCH_JVM("bench JVM"); // the gate, the indexer, the clients and the baseline pool

        final String label;

        Role(String label) {
            this.label = label;
        }
    }

    /**
     * CPU seconds per role at one moment, or between two.
     *
     * @param jitSeconds of those, the JVMs' JIT compiler threads (all roles): code still being compiled
     *     while a workload runs is CPU a long-running store does not spend
     */
    record Use(Map<Role, Double> seconds, double jitSeconds) {
        Use minus(Use earlier) {
            Map<Role, Double> difference = new EnumMap<>(Role.class);
            seconds.forEach((role, value) -> difference.put(role, value - earlier.seconds.getOrDefault(role, 0.0)));
            // A compiler thread that ended took its time out of the listing: never below zero.
            return new Use(difference, Math.max(0, jitSeconds - earlier.jitSeconds));
        }

        /** Two uses added: the CPU of several measured rounds. */
        Use plus(Use other) {
            Map<Role, Double> sum = new EnumMap<>(Role.class);
            sum.putAll(seconds);
            other.seconds.forEach((role, value) -> sum.merge(role, value, Double::sum));
            return new Use(sum, jitSeconds + other.jitSeconds);
        }

        double total() {
            return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double of(Role role) {
            return seconds.getOrDefault(role, 0.0);
        }
    }

    /** Linux's USER_HZ: the unit of the times in {@code /proc/<pid>/stat}, 100 on every Linux of this kind. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path postmasterPidFile;

    /** @param postgresDataDir the data directory of the stack's PostgreSQL (its postmaster.pid names the server) */
    StackCpu(Path postgresDataDir) {
        this.postmasterPidFile = postgresDataDir.resolve("postmaster.pid");
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** CPU used so far by each role's live processes (PostgreSQL's ended backends included). */
    Use now() {
        Map<Role, Double> seconds = new EnumMap<>(Role.class);
        ProcessHandle self = ProcessHandle.current();
        seconds.merge(Role.BENCH_JVM, cpuSeconds(self.pid(), false), Double::sum);
        double jit = jitSeconds(self.pid());
        // The broker and the registry are child JVMs of this one; PostgreSQL is started by pg_ctl and left to init.
        try (Stream<ProcessHandle> children = self.descendants()) {
            for (ProcessHandle child : (Iterable<ProcessHandle>) children::iterator) {
                Optional<Role> role = roleOf(child.pid());
                if (role.isPresent()) {
                    seconds.merge(role.get(), cpuSeconds(child.pid(), false), Double::sum);
                    jit += jitSeconds(child.pid());
                }
            }
        }
        postmaster().ifPresent(postmaster -> {
            // The postmaster reaps the backends that ended: their CPU is in its children's times.
            seconds.merge(Role.POSTGRESQL, cpuSeconds(postmaster.pid(), true), Double::sum);
            try (Stream<ProcessHandle> backends = postmaster.descendants()) {
                backends.forEach(backend -> seconds.merge(Role.POSTGRESQL, cpuSeconds(backend.pid(), false), Double::sum));
            }
        });
        return new Use(seconds, jit);
    }

    /** The CPU of a JVM's live C1 and C2 compiler threads (named "C1 CompilerThreadN", cut to 15 characters). */
    private static double jitSeconds(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.filter(thread -> isCompilerThread(read(thread.resolve("comm"))))
                    .mapToDouble(thread -> cpuSecondsOf(thread.resolve("stat"), false)).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // the process ended
        }
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(postmasterPidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Role> roleOf(long pid) {
        String commandLine = read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        if (commandLine.contains("BrokerMain")) {
            return Optional.of(Role.BROKER);
        }
        return commandLine.contains("quarkus-run") ? Optional.of(Role.REGISTRY) : Optional.empty();
    }

    /** @param name a thread's name as {@code /proc/<pid>/task/<tid>/comm} gives it */
    static boolean isCompilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    private static double cpuSeconds(long pid, boolean withReapedChildren) {
        return cpuSecondsOf(Path.of("/proc", Long.toString(pid), "stat"), withReapedChildren);
    }

    /**
     * utime + stime (fields 14, 15), with cutime + cstime (16, 17) when {@code withReapedChildren}, from a
     * process's or a thread's {@code stat} file (they have the same fields).
     */
    private static double cpuSecondsOf(Path statFile, boolean withReapedChildren) {
        String stat = read(statFile);
        int afterName = stat.lastIndexOf(')');
        if (afterName < 0) {
            return 0; // the process ended between listing and reading
        }
        // Fields from the third on; the name (field 2) may hold spaces, hence the split after ')'.
        String[] fields = stat.substring(afterName + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
