package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.AppendRefusals;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.AppliedRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The request ids the gate applied within the dedup window, in two RocksDB window stores whose segments
 * expire:
 * <ul>
 *   <li>by the id's own time ({@link RequestIdTime}), for version 7 UUIDs made close to the gate's stream
 *       time, as the client makes them: found by one point lookup;</li>
 *   <li>by the request's time, for every other id (and those remembered before the first store existed):
 *       found by a range fetch over the window around the retry's request time.</li>
 * </ul>
 * A lookup checks the first store, then the second, so an id is found wherever an earlier attempt put it:
 * the choice of store for an id may differ between attempts (the stream time moves on), the lookup does
 * not depend on it. For ids remembered by their own time the second store holds few entries (the ids
 * whose time was out of bounds), and its range fetch is cheap.
 *
 * <p>Each entry holds the original result (its stream) and the append's {@link AppendFingerprint}, so that
 * an id is answered only for the append it names. Entries written before fingerprints existed are read
 * with their earlier schema and have none.
 */
final class AppliedRequests {

    private final Duration window;
    private final WindowStore<String, AppliedRequest> byIdTime;
    private final WindowStore<String, AppliedRequest> byRequestTime;
    private final ProcessorContext<?, ?> context;

    AppliedRequests(ProcessorContext<?, ?> context, Duration window) {
        this.context = context;
        this.window = window;
        this.byIdTime = context.getStateStore(GateTopology.APPLIED_BY_ID_TIME_STORE);
        this.byRequestTime = context.getStateStore(GateTopology.APPLIED_STORE);
    }

    /**
     * What an append with {@code requestId} was decided as within the window, if one was: the append that
     * was applied, if any, otherwise a refusal for its expected version (an id can be remembered more than
     * once when a refused append is retried and decided again).
     */
    Optional<AppliedRequest> find(String requestId, long requestTime) {
        AppliedRequest refused = null;
        OptionalLong idTime = RequestIdTime.of(requestId);
        if (idTime.isPresent()) {
            AppliedRequest found = byIdTime.fetch(requestId, idTime.getAsLong());
            if (found != null && applied(found)) {
                return Optional.of(found);
            }
            refused = found;
        }
        try (WindowStoreIterator<AppliedRequest> found =
                     byRequestTime.fetch(requestId, requestTime - window.toMillis(), requestTime + window.toMillis())) {
            while (found.hasNext()) {
                AppliedRequest entry = found.next().value;
                if (applied(entry)) {
                    return Optional.of(entry);
                }
                refused = refused == null ? entry : refused;
            }
        }
        return Optional.ofNullable(refused);
    }

    private static boolean applied(AppliedRequest entry) {
        return entry.getOriginalResult().getOutcome() == AppendOutcome.APPENDED;
    }

    /**
     * What the window says of an append before it is decided: a refusal when its request id was decided for
     * another append (another stream or fingerprint), the original result (as a duplicate) when this append
     * was applied before, or nothing: decide it (new, or refused before for its expected version and so
     * free to be decided again, as the refusal wrote nothing).
     */
    Optional<AppendResult> earlierAnswer(StreamAppend append, byte[] fingerprint, long requestTime) {
        Optional<AppliedRequest> earlier = find(append.getRequestId(), requestTime);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> reuse = RequestIdReuse.of(earlier.get(), append, fingerprint);
        if (reuse.isPresent()) {
            // Not remembered: the id keeps naming the append it was applied to.
            return Optional.of(AppendResult.newBuilder().setRequestId(append.getRequestId()).setStreamId(append.getStreamId())
                    .setOutcome(AppendOutcome.INVALID).setError(AppendRefusals.requestIdReused(reuse.get())).build());
        }
        AppendResult original = earlier.get().getOriginalResult();
        return original.getOutcome() == AppendOutcome.APPENDED
                ? Optional.of(AppendResult.newBuilder(original).setDuplicate(true).build())
                : Optional.empty();
    }

    void remember(AppendResult result, byte[] fingerprint, long requestTime) {
        AppliedRequest applied = new AppliedRequest(result, Instant.ofEpochMilli(requestTime), ByteBuffer.wrap(fingerprint));
        OptionalLong idTime = RequestIdTime.of(result.getRequestId());
        long streamTime = Math.max(context.currentStreamTimeMs(), requestTime);
        if (idTime.isPresent() && RequestIdTime.rememberedUnderItsOwnTime(idTime.getAsLong(), streamTime, window)) {
            byIdTime.put(result.getRequestId(), applied, idTime.getAsLong());
        } else {
            byRequestTime.put(result.getRequestId(), applied, requestTime);
        }
    }
}
