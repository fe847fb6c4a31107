package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class StackCpuTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc, which only Linux has")
    void countsTheCpuThisJvmBurnsAsItsOwnAndNothingForAPostgresThatIsNotThere(@TempDir Path noPostgres) {
        StackCpu cpu = new StackCpu(noPostgres);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StackCpu.Use before = cpu.now();
        long spinStart = threads.getCurrentThreadCpuTime();
        long until = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        double spin = (threads.getCurrentThreadCpuTime() - spinStart) / 1e9;
        StackCpu.Use used = cpu.now().minus(before);

        // At least what the spinning thread itself got (on a busy box that is less than its 0.4 s of wall time; 10 ms ticks).
        assertThat(spin).as("CPU the spin got").isPositive();
        assertThat(used.of(StackCpu.Role.BENCH_JVM)).isBetween(spin - 0.02, 5.0);
        // The compilers may well have worked meanwhile; the spinning thread's time is never theirs (10 ms ticks: some slack).
        assertThat(used.jitSeconds()).as("the compilers' time, without the spin's").isBetween(0.0, used.total() - spin + 0.05);
        assertThat(used.of(StackCpu.Role.POSTGRESQL)).isZero();
        // Other tests of this JVM may have left an idle broker child running: it gets its own few ticks, never the spin.
        assertThat(used.of(StackCpu.Role.BROKER) + used.of(StackCpu.Role.REGISTRY)).isLessThan(0.1);
    }

    @Test
    void subtractsRoleByRoleAndSums() {
        StackCpu.Use earlier = new StackCpu.Use(Map.of(StackCpu.Role.BROKER, 1.0, StackCpu.Role.POSTGRESQL, 2.0), 0.5);
        StackCpu.Use later = new StackCpu.Use(Map.of(StackCpu.Role.BROKER, 1.5, StackCpu.Role.POSTGRESQL, 4.0, StackCpu.Role.BENCH_JVM, 3.0), 0.75);

        StackCpu.Use used = later.minus(earlier);

        assertThat(used.of(StackCpu.Role.BROKER)).isEqualTo(0.5);
        assertThat(used.of(StackCpu.Role.POSTGRESQL)).isEqualTo(2.0);
        assertThat(used.of(StackCpu.Role.BENCH_JVM)).isEqualTo(3.0);
        assertThat(used.total()).isEqualTo(5.5);
        assertThat(used.jitSeconds()).isEqualTo(0.25);
    }

    @Test
    void addsRoleByRoleForTheCpuOfSeveralRounds() {
        StackCpu.Use first = new StackCpu.Use(Map.of(StackCpu.Role.BROKER, 1.0, StackCpu.Role.POSTGRESQL, 2.0), 0.5);
        StackCpu.Use second = new StackCpu.Use(Map.of(StackCpu.Role.BROKER, 0.5, StackCpu.Role.BENCH_JVM, 3.0), 0.25);

        StackCpu.Use both = first.plus(second);

        assertThat(both.of(StackCpu.Role.BROKER)).isEqualTo(1.5);
        assertThat(both.of(StackCpu.Role.POSTGRESQL)).isEqualTo(2.0);
        assertThat(both.of(StackCpu.Role.BENCH_JVM)).isEqualTo(3.0);
        assertThat(both.jitSeconds()).isEqualTo(0.75);
    }

    @Test
    void compilerTimeNeverGoesBelowZeroWhenACompilerThreadEnded() {
        StackCpu.Use earlier = new StackCpu.Use(Map.of(StackCpu.Role.BENCH_JVM, 1.0), 0.5);
        StackCpu.Use later = new StackCpu.Use(Map.of(StackCpu.Role.BENCH_JVM, 2.0), 0.3);

        assertThat(later.minus(earlier).jitSeconds()).isZero();
    }

    @Test
    void knowsTheJitCompilerThreadsByTheirShortenedNames() {
        assertThat(StackCpu.isCompilerThread("C2 CompilerThre\n")).isTrue();
        assertThat(StackCpu.isCompilerThread("C1 CompilerThre\n")).isTrue();
        assertThat(StackCpu.isCompilerThread("GC Thread#0\n")).isFalse();
        assertThat(StackCpu.isCompilerThread("main\n")).isFalse();
    }
}
