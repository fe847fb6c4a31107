package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.AppendRefusals;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.AppliedRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The request ids the gate decided within the dedup window: in a key-value store that forgets them file by file
 * ({@link RequestIdExpiry}), one point lookup per append whatever the id, and in the stores of earlier gates while
 * they may hold an id of the window ({@link EarlierGatesRequestIds}).
 *
 * <p>Each entry holds the original result (its stream) and the append's {@link AppendFingerprint}, so that
 * an id is answered only for the append it names. Entries written before fingerprints existed are read
 * with their earlier schema and have none. An id refused for its expected version and decided again is
 * remembered again, over the refusal: an applied entry is never replaced, as an append it names is answered,
 * not decided.
 */
final class AppliedRequests {

    private final KeyValueStore<String, AppliedRequest> requestIds;
    private final EarlierGatesRequestIds earlierGates;
    private final ProcessorContext<?, ?> context;

    AppliedRequests(ProcessorContext<?, ?> context, Duration window) {
        this.context = context;
        this.requestIds = context.getStateStore(GateTopology.REQUEST_IDS_STORE);
        this.earlierGates = new EarlierGatesRequestIds(context, window);
    }

    /** What an append with {@code requestId} was decided as within the window, if one was. */
    Optional<AppliedRequest> find(String requestId, long requestTime) {
        AppliedRequest found = requestIds.get(requestId);
        return found != null ? Optional.of(found) : earlierGates.find(requestId, requestTime, context.currentStreamTimeMs());
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
        return applied(earlier.get())
                ? Optional.of(AppendResult.newBuilder(earlier.get().getOriginalResult()).setDuplicate(true).build())
                : Optional.empty();
    }

    /** Whether {@code entry} names an append that was applied, rather than one refused for its expected version. */
    static boolean applied(AppliedRequest entry) {
        return entry.getOriginalResult().getOutcome() == AppendOutcome.APPENDED;
    }

    void remember(AppendResult result, byte[] fingerprint, long requestTime) {
        requestIds.put(result.getRequestId(), new AppliedRequest(result, Instant.ofEpochMilli(requestTime), ByteBuffer.wrap(fingerprint)));
    }
}
