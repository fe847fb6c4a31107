package dev.eventstore.launcher.failover;

import dev.eventstore.launcher.Main;
import dev.eventstore.local.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./eventstore gate} as an OS process of its own, on this JVM's class path: started, killed, paused, stopped. */
public final class GateProcess {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path log;
    private final Process process;

    private GateProcess(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    /** Starts a gate with these settings and waits until it prints that it is ready. */
    public static GateProcess startReady(Path settings, Path logDir) throws IOException, InterruptedException {
        Path log = logDir.resolve("gate-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "gate", "--config", settings.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GateProcess gate = new GateProcess(log, process);
        gate.awaitReady();
        return gate;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, as in a crash: no shutdown hook runs, the group and the transaction are left as they are. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, and waits for the exit: the gate commits, leaves its group and exits. */
    public void stop() throws InterruptedException {
        resume();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the gate hangs as a process in a long GC pause or on a frozen VM does. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        if (process.isAlive()) {
            signal("CONT");
        }
    }

    private void signal(String signal) {
        Signals.send(process.pid(), signal);
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!output().contains("gate ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the gate did not start" + (process.isAlive() ? " in time" : "") + "; its output:\n"
                        + output());
            }
            Thread.sleep(100);
        }
    }
}
