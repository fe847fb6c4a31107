package dev.eventstore.schemas;

import java.time.Duration;

/** The one way the store's loops wait between attempts: an interrupt ends the wait and stays set for the caller. */
public final class Pause {

    private Pause() {}

    /** @return false when the wait was interrupted (the thread's interrupt flag is set again) */
    public static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
