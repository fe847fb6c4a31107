package dev.eventstore.local;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals Java has no API for: SIGSTOP and SIGCONT, to freeze a process as a hung machine does. */
public final class Signals {

    private Signals() {}

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}) to the process {@code pid} with {@code kill}.
     *
     * @throws LocalStackException when {@code kill} fails (no such process, say)
     */
    public static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new LocalStackException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new LocalStackException("could not run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while signalling " + pid, e);
        }
    }
}
