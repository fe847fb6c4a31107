package dev.eventstore.schemas;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The one way the store's loops wait: between attempts, or until a condition holds. */
public final class Pause {

    private Pause() {}

    /**
     * Sleeps; an interrupt ends the wait and stays set for the caller.
     *
     * @return false when the wait was interrupted (the thread's interrupt flag is set again)
     */
    public static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Checks {@code done} every {@code every} until it holds or {@code timeout} has passed (checked at least once).
     *
     * @return whether it held in time
     */
    public static boolean until(BooleanSupplier done, Duration timeout, Duration every) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(every.toMillis());
        }
        return true;
    }
}
