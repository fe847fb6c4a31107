package dev.eventstore.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM of the stack, started through {@link OrphanGuard}, its output going to a log file. */
final class ChildJvm {

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ChildJvm start(String name, String classPath, List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(OrphanGuard.class.getName());
        command.add(mainClass);
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(name, process);
        } catch (IOException e) {
            throw new LocalStackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** This JVM's class path, plus where this class itself was loaded from. */
    static String currentClassPath() {
        return ownLocation() + File.pathSeparator + System.getProperty("java.class.path");
    }

    /** The jar or classes directory this module was loaded from: where {@link OrphanGuard} is found. */
    static String ownLocation() {
        try {
            return Path.of(OrphanGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new LocalStackException("cannot locate the local-stack classes", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it has not exited in time. */
    void stop(long timeoutSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL: no shutdown, as in a crash. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to the process. */
    void signal(String signal) {
        Signals.send(process.pid(), signal);
    }

    String name() {
        return name;
    }
}
