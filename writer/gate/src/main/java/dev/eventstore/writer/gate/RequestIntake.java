package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.StreamAppend;
import java.util.Optional;

/**
 * Reads a request record from any client and decides whether it can be decided at all, before any
 * state is touched. A request without a usable reply address cannot be answered: it is skipped (and
 * logged by the caller). Otherwise each of its appends is either decided or refused with a typed
 * outcome on the client's reply partition: a whole request of an unknown protocol version or over the
 * size limit, or an append whose stream belongs to another partition (its version lives in another task,
 * so deciding it here would break the concurrency check).
 */
final class RequestIntake {

    private final StoreRecordCodec<AppendRequest> requests;
    private final PartitionCounts partitions;
    private final AppendLimits limits;

    RequestIntake(StoreRecordCodec<AppendRequest> requests, PartitionCounts partitions, AppendLimits limits) {
        this.requests = requests;
        this.partitions = partitions;
        this.limits = limits;
    }

    sealed interface Verdict {}

    /** Not answerable: no readable request or no existing reply partition. */
    record Skip(String why) implements Verdict {}

    /**
     * An answerable request; {@code refusal} applies to all of its appends when present.
     */
    record Answer(AppendRequest request, Optional<Refusal> refusal) implements Verdict {}

    record Refusal(AppendOutcome outcome, String why) {}

    Verdict admit(byte[] value) {
        if (value == null) {
            return new Skip("no value");
        }
        AppendRequest request;
        try {
            request = requests.decode(value);
        } catch (MalformedPayloadException e) {
            return new Skip("unreadable: " + e.getMessage());
        }
        int reply = request.getReplyPartition();
        if (reply < 0 || reply >= partitions.results()) {
            return new Skip("reply partition " + reply + " is not one of the " + partitions.results() + " result partitions");
        }
        if (request.getProtocolVersion() != AppendProtocol.VERSION) {
            return new Answer(request, Optional.of(new Refusal(AppendOutcome.UNSUPPORTED_VERSION, "protocol version "
                    + request.getProtocolVersion() + " is not supported; this gate follows version " + AppendProtocol.VERSION)));
        }
        if (value.length > limits.maxRequestBytes()) {
            return new Answer(request, Optional.of(new Refusal(AppendOutcome.INVALID, "the request is " + value.length
                    + " bytes, more than the limit of " + limits.maxRequestBytes())));
        }
        return new Answer(request, Optional.empty());
    }

    /** Why an append that arrived on {@code partition} must not be decided here, if it must not. */
    Optional<Refusal> misrouted(StreamAppend append, int partition) {
        String stream = append.getStreamId();
        if (stream == null || stream.isEmpty()) {
            return Optional.empty(); // refused as invalid by the limits
        }
        int owner = AppendProtocol.partitionOf(stream, partitions.requests());
        if (owner == partition) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(AppendOutcome.MISROUTED, "stream " + stream + " belongs to partition " + owner
                + " of " + partitions.requests() + " (murmur2 of its id), not " + partition + " where its request arrived"));
    }
}
