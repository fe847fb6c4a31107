package dev.eventstore.launcher;

import java.time.Duration;

/**
 * A server the command needs did not answer: one line that names it, its address, why, and where the
 * address came from (a stale {@code ~/.eventstore/local.properties} is the usual suspect). Exit status 5.
 */
final class ServerUnreachableException extends RuntimeException {

    ServerUnreachableException(String server, String address, Duration waited, String reason, String addressSource, Throwable cause) {
        super("cannot reach " + server + " at " + address + (waited.isZero() ? "" : " within " + waited.toSeconds()
                + " s (startup.timeout.seconds)") + ": " + reason + " (" + addressSource + "; is the store running?"
                + " ./eventstore local starts one)", cause);
    }
}
