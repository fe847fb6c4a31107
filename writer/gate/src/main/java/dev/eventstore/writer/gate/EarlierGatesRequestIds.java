package dev.eventstore.writer.gate;

import dev.eventstore.schemas.store.AppliedRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The request ids that gates before the store of request ids ({@link RequestIdExpiry}) remembered, in two Kafka Streams
 * window stores, read so that an upgrade keeps the dedup window: a retry of an append decided by the earlier gate is
 * still answered with its original result. Nothing is written to them any more.
 *
 * <p>They are read only while they may hold an id of the window: until the gate's stream time has passed their
 * newest entry by twice the window (the entry found first lies in their newest segment, half a window wide, and an
 * id could be filed up to a sixtieth of the window ahead). Empty, as in every gate that never ran the earlier
 * version, they are never read. Their files stay on disk until a later version removes the stores.
 *
 * <p>The earlier gate filed a time-ordered id (version 7 UUID, as the client makes them) under the time it carries
 * when that time was close to its stream time, found by one point lookup; every other id under its request's time,
 * found by a range fetch over the window around the retry's request time.
 */
final class EarlierGatesRequestIds {

    private final Duration window;
    private final WindowStore<String, AppliedRequest> byIdTime;
    private final WindowStore<String, AppliedRequest> byRequestTime;
    private long readUntil = Long.MIN_VALUE;
    private boolean horizonKnown;

    EarlierGatesRequestIds(ProcessorContext<?, ?> context, Duration window) {
        this.window = window;
        this.byIdTime = context.getStateStore(GateTopology.APPLIED_BY_ID_TIME_STORE);
        this.byRequestTime = context.getStateStore(GateTopology.APPLIED_STORE);
    }

    /**
     * What an earlier gate decided for {@code requestId}: the applied append if any, otherwise a refusal for its
     * expected version (an id could be remembered more than once when a refused append was retried).
     */
    Optional<AppliedRequest> find(String requestId, long requestTime, long streamTime) {
        if (!mayHoldLiveIds(streamTime)) {
            return Optional.empty();
        }
        AppliedRequest refused = null;
        OptionalLong idTime = RequestIdTime.of(requestId);
        if (idTime.isPresent()) {
            AppliedRequest found = byIdTime.fetch(requestId, idTime.getAsLong());
            if (found != null && AppliedRequests.applied(found)) {
                return Optional.of(found);
            }
            refused = found;
        }
        try (WindowStoreIterator<AppliedRequest> found =
                     byRequestTime.fetch(requestId, requestTime - window.toMillis(), requestTime + window.toMillis())) {
            while (found.hasNext()) {
                AppliedRequest entry = found.next().value;
                if (AppliedRequests.applied(entry)) {
                    return Optional.of(entry);
                }
                refused = refused == null ? entry : refused;
            }
        }
        return Optional.ofNullable(refused);
    }

    private boolean mayHoldLiveIds(long streamTime) {
        if (!horizonKnown) {
            // At the first lookup, not in the processor's init: a test driver fills the stores after init.
            long newest = Math.max(newestSegmentsEntry(byIdTime), newestSegmentsEntry(byRequestTime));
            readUntil = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest + 2 * window.toMillis();
            horizonKnown = true;
        }
        return streamTime <= readUntil;
    }

    /** The time of an entry of the newest segment that holds any (one step of a backward iterator), or Long.MIN_VALUE. */
    private static long newestSegmentsEntry(WindowStore<String, AppliedRequest> store) {
        try (KeyValueIterator<Windowed<String>, AppliedRequest> newestFirst = store.backwardAll()) {
            return newestFirst.hasNext() ? newestFirst.next().key.window().start() : Long.MIN_VALUE;
        }
    }
}
