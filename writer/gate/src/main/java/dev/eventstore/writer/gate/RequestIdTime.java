package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendLimits;
import java.util.OptionalLong;

/**
 * The time a request id carries, when it is a time-ordered UUID (RFC 9562 version 7, as the client
 * makes them): its first 48 bits are the milliseconds since the epoch at which it was made.
 *
 * <p>Why the gate wants it: gates before the store of request ids filed such an id under that time in a
 * window store, where a lookup finds it by one point read ({@link EarlierGatesRequestIds}).
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
}
