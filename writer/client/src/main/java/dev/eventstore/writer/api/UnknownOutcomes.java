package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.store.StreamAppend;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request ids of this client's appends whose outcome is unknown, with what each named: only the same
 * append may be sent with such an id again. Why the client keeps them although the gate refuses a reused
 * id: the late result of the first attempt carries the same request id, and would answer another append
 * sent with it before the gate's refusal of that one arrives.
 *
 * <p>Kept for {@link #KEPT_FOR} (the gate's default dedup window) and at most {@link #MAX_KEPT} ids: an
 * unknown outcome is rare (a timeout, a failed send, a close), so the map stays small.
 */
final class UnknownOutcomes {

    static final Duration KEPT_FOR = Duration.ofMinutes(10);
    static final int MAX_KEPT = 10_000;

    private record Named(String streamId, byte[] fingerprint, long sinceNanos) {}

    private final Map<String, Named> byRequestId = new ConcurrentHashMap<>();

    void remember(String requestId, StreamAppend append) {
        byRequestId.put(requestId, new Named(append.getStreamId(), new AppendFingerprint().of(append), System.nanoTime()));
        if (byRequestId.size() > MAX_KEPT) {
            forgetOldest();
        }
    }

    /** Why {@code append} may not be sent with {@code requestId}, if it names another append whose outcome is unknown. */
    Optional<String> reuse(String requestId, StreamAppend append) {
        Named named = byRequestId.get(requestId);
        if (named == null || System.nanoTime() - named.sinceNanos > KEPT_FOR.toNanos()) {
            return Optional.empty();
        }
        if (!named.streamId.equals(append.getStreamId())) {
            return Optional.of("named an append to stream " + named.streamId + " whose outcome is unknown");
        }
        if (!Arrays.equals(named.fingerprint, new AppendFingerprint().of(append))) {
            return Optional.of("named another append to this stream whose outcome is unknown (other events, event ids,"
                    + " expected version, correlation or causation ids)");
        }
        return Optional.empty();
    }

    private void forgetOldest() {
        long expired = System.nanoTime() - KEPT_FOR.toNanos();
        byRequestId.values().removeIf(named -> named.sinceNanos < expired);
        while (byRequestId.size() > MAX_KEPT) {
            byRequestId.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().sinceNanos))
                    .ifPresent(oldest -> byRequestId.remove(oldest.getKey(), oldest.getValue()));
        }
    }
}
