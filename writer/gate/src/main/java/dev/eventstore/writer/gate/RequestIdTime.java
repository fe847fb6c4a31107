package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendLimits;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The time a request id carries, when it is a time-ordered UUID (RFC 9562 version 7, as the client
 * makes them): its first 48 bits are the milliseconds since the epoch at which it was made.
 *
 * <p>Why the gate wants it: a retry arrives in a new request record with a new timestamp, so a request
 * id remembered under its request's time can only be found by a range fetch over the whole dedup window
 * (an iterator per segment of the window store). A request id remembered under its own time is found by
 * one point lookup, whatever the request that carries it.
 */
final class RequestIdTime {

    private RequestIdTime() {}

    /** The id's own time in epoch milliseconds, or empty when the id is not a version 7 UUID in canonical form. */
    static OptionalLong of(String requestId) {
        if (!AppendLimits.isUuid(requestId) || requestId.charAt(14) != '7') {
            return OptionalLong.empty();
        }
        // The 48 bits of time are the first 12 hex digits: 8, a hyphen, then 4.
        return OptionalLong.of(Long.parseLong(requestId, 0, 8, 16) << 16 | Long.parseLong(requestId, 9, 13, 16));
    }

    /**
     * Whether an id made at {@code idTime} can be remembered under that time in a window store that keeps
     * {@code window} behind its newest entry. The store's newest entry can be up to {@link #lead(Duration)}
     * ahead of the gate's stream time, so an id older than {@code window - lead} may fall out of the store
     * at once (it is then remembered under its request's time instead); an id further ahead would push the
     * store's time forward and make it forget other ids early.
     */
    static boolean rememberedUnderItsOwnTime(long idTime, long streamTime, Duration window) {
        long lead = lead(window).toMillis();
        return idTime > streamTime - window.toMillis() + lead && idTime <= streamTime + lead;
    }

    /** How far ahead of the gate's stream time an id's own time may lie: a sixtieth of the window (10 s of 10 min). */
    static Duration lead(Duration window) {
        return window.dividedBy(60);
    }
}
