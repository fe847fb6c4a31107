package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Builds the wire form of an append and checks it against the limits before anything is sent. */
final class AppendEncoding {

    private AppendEncoding() {}

    /**
     * @param requestId the request id of this append call ({@link AppendOptions#requestIdOfCall()})
     * @param payloads encodes an event's data in the registry wire format
     * @throws InvalidAppendException when the append breaks a rule of {@link AppendLimits}
     */
    static StreamAppend toStreamAppend(String streamId, ExpectedVersion expected, List<NewEvent> events, AppendOptions options,
                                       String requestId, Function<NewEvent, byte[]> payloads, AppendLimits limits) {
        if (events == null || expected == null) {
            throw new InvalidAppendException("append to " + streamId + " refused: expected version and events must not be null");
        }
        List<EventData> data = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            HashMap<String, String> headers = new HashMap<>(event.metadata());
            event.dataSubject().ifPresent(subject -> headers.put(EnvelopeHeaders.SUBJECT, subject));
            data.add(new EventData(event.eventId().toString(), event.type(), ByteBuffer.wrap(payloads.apply(event)), headers));
        }
        StreamAppend append = StreamAppend.newBuilder()
                .setRequestId(requestId)
                .setStreamId(streamId == null ? "" : streamId)
                .setExpectedKind(ExpectedVersionWire.kindOf(expected))
                .setExpectedVersion(expected.version())
                .setCorrelationId(options.correlationId().orElse(null))
                .setCausationId(options.causationId().orElse(null))
                .setEvents(data)
                .build();
        Optional<String> problem = limits.problemWith(append);
        if (problem.isPresent()) {
            throw new InvalidAppendException("append to " + streamId + " refused: " + problem.get());
        }
        return append;
    }

    /** The request record; refused when larger than the limit (Kafka would refuse it later, less clearly). */
    static byte[] toRequest(StreamAppend append, int replyPartition, AppendLimits limits, StoreRecordCodec<AppendRequest> requests) {
        byte[] request = requests.encode(new AppendRequest(AppendProtocol.VERSION, replyPartition, Instant.now(), List.of(append)));
        if (request.length > limits.maxRequestBytes()) {
            throw new InvalidAppendException("append to " + append.getStreamId() + " refused: " + request.length
                    + " bytes encoded, more than the limit of " + limits.maxRequestBytes());
        }
        return request;
    }
}
