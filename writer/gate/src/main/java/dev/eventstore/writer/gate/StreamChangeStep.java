package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.StreamMarker;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The gate's step for a {@link StreamAppend} that carries a lifecycle change instead of events: decided
 * by {@link StreamLifecycle}, applied as a {@link StreamMarker} on the events topic and the stream's new
 * state, in the same exactly-once transaction as the appends around it. Request ids are remembered as for
 * appends, so a retried change gets its original result.
 */
final class StreamChangeStep {

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, StreamState> versions;
    private final AppliedRequests applied;
    private final AppendLimits limits;
    private final AppendFingerprint fingerprints = new AppendFingerprint();

    StreamChangeStep(ProcessorContext<String, Object> context, KeyValueStore<String, StreamState> versions,
                     AppliedRequests applied, AppendLimits limits) {
        this.context = context;
        this.versions = versions;
        this.applied = applied;
        this.limits = limits;
    }

    AppendResult decide(StreamAppend append, long requestTimestamp) {
        byte[] fingerprint = fingerprints.of(append);
        Optional<AppendResult> answered = applied.earlierAnswer(append, fingerprint, requestTimestamp);
        if (answered.isPresent()) {
            return answered.get();
        }
        Optional<String> problem = problemWith(append);
        if (problem.isPresent()) {
            return result(append, AppendOutcome.INVALID).setError(problem.get()).build();
        }
        StreamState state = versions.get(append.getStreamId());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        StreamLifecycle.Decision decision = StreamLifecycle.decideChange(state, append.getExpectedKind(),
                append.getExpectedVersion(), append.getChange(), append.getStreamId(), now);
        AppendResult result;
        if (decision instanceof StreamLifecycle.Changed changed) {
            writeMarker(append, changed.marker());
            versions.put(append.getStreamId(), changed.next());
            long version = changed.next().getVersion();
            result = result(append, AppendOutcome.APPENDED).setFirstVersion(version).setLastVersion(version)
                    .setActualVersion(version).build();
        } else {
            StreamLifecycle.Refused refused = (StreamLifecycle.Refused) decision;
            result = result(append, refused.outcome()).setActualVersion(refused.actual()).setError(refused.why()).build();
        }
        applied.remember(result, fingerprint, requestTimestamp);
        return result;
    }

    private Optional<String> problemWith(StreamAppend append) {
        Optional<String> stream = limits.problemWithStreamId(append.getStreamId());
        if (stream.isPresent()) {
            return stream;
        }
        if (!append.getEvents().isEmpty()) {
            return Optional.of("a stream change carries no events, not " + append.getEvents().size());
        }
        if (append.getExpectedVersion() < 0) {
            return Optional.of("expected version must be 0 or more, not " + append.getExpectedVersion());
        }
        return StreamLifecycle.problemWith(append.getChange());
    }

    private void writeMarker(StreamAppend append, StreamMarker marker) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, marker.streamId());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, Long.toString(marker.version()));
        // Derived from the request id: the marker of one change has one id, whoever looks.
        UUID markerId = UUID.nameUUIDFromBytes((append.getRequestId() + "/" + marker.kind().eventType()).getBytes(StandardCharsets.UTF_8));
        EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, markerId.toString());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, marker.kind().eventType());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, append.getCorrelationId());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, append.getCausationId());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.REQUEST_ID, append.getRequestId());
        marker.writeTo(headers);
        // A null value: a registry deserializer (Confluent's too) returns null for it rather than failing.
        context.forward(new Record<>(marker.streamId(), (Object) null, context.currentSystemTimeMs(), headers),
                GateTopology.EVENTS_SINK);
    }

    private static AppendResult.Builder result(StreamAppend append, AppendOutcome outcome) {
        return AppendResult.newBuilder().setRequestId(append.getRequestId()).setStreamId(append.getStreamId()).setOutcome(outcome);
    }
}
