package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.AppendRefusals;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.AppliedRequest;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamState;
import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.TraceContext;
import io.opentelemetry.api.trace.Span;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each append of a request, in partition order. Its request id is looked up among those decided
 * within the dedup window ({@link AppliedRequests}): an id decided for another append (another stream, or
 * another {@link AppendFingerprint}) is refused as reused; the same append applied before gets its original
 * result. Otherwise a malformed append is refused, {@link VersionDecision} decides with the stream's lifecycle
 * ({@link StreamLifecycle}: deleted, tombstoned), and an accepted append's events, the stream's new version and
 * the result are forwarded together; a lifecycle change goes to {@link StreamChangeStep}. The exactly-once
 * transaction of the task commits them with the input offset, or none of them.
 *
 * <p>Every append is looked up, even one whose stream version proves it new (an exact version met, no
 * stream while there is none): that proves only that this append was not applied, not that its id is
 * unused, and an id reused for a new stream must be refused, not applied. The cost: one point read of the
 * store of request ids, whatever the id, and a SHA-256 over the append's events (a few µs for small events).
 */
final class GateProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(GateProcessor.class);
    private final AppendLimits limits;
    private final RequestIntake intake;
    private final Duration dedupWindow;
    private final GateMeters meters;
    private final GateTracing tracing;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, StreamState> versions;
    private AppliedRequests applied;
    private StreamChangeStep changes;
    private final AppendFingerprint fingerprints = new AppendFingerprint();

    GateProcessor(AppendLimits limits, RequestIntake intake, Duration dedupWindow, GateMeters meters, GateTracing tracing) {
        this.limits = limits;
        this.intake = intake;
        this.dedupWindow = dedupWindow;
        this.meters = meters;
        this.tracing = tracing;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.versions = context.getStateStore(GateTopology.VERSIONS_STORE);
        this.applied = new AppliedRequests(context, dedupWindow);
        this.changes = new StreamChangeStep(context, versions, applied, limits);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        int partition = context.recordMetadata().map(m -> m.partition()).orElse(0);
        RequestIntake.Verdict verdict = intake.admit(record.value());
        if (verdict instanceof RequestIntake.Skip skip) {
            // Without a reply address nobody can be told: skip it rather than stall the partition.
            log.warn("Skipping append request with key '{}' at {}: {}", record.key(),
                    context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
                    skip.why());
            return;
        }
        RequestIntake.Answer answer = (RequestIntake.Answer) verdict;
        for (StreamAppend append : answer.request().getAppends()) {
            Optional<RequestIntake.Refusal> refusal = answer.refusal().or(() -> intake.misrouted(append, partition));
            boolean change = append.getChange() != null;
            Span span = tracing.start(append, partition);
            AppendResult result;
            if (refusal.isPresent()) {
                result = result(append, refusal.get().outcome()).setError(refusal.get().why()).build();
            } else {
                result = change ? changes.decide(append, record.timestamp()) : decide(append, record.timestamp(), span);
            }
            GateTracing.end(span, result);
            meters.decided(result, change);
            reply(result, answer.request().getReplyPartition(), record.timestamp());
        }
    }

    private AppendResult decide(StreamAppend append, long requestTimestamp, Span span) {
        byte[] fingerprint = fingerprints.of(append);
        Optional<AppendResult> answered = applied.earlierAnswer(append, fingerprint, requestTimestamp);
        if (answered.isPresent()) {
            return answered.get();
        }
        StreamState state = versions.get(append.getStreamId());
        long current = state == null ? 0 : state.getVersion();
        Optional<String> problem = limits.problemWith(append);
        if (problem.isPresent()) {
            return result(append, AppendOutcome.INVALID).setError(problem.get()).build();
        }
        Optional<StreamLifecycle.Refused> refused = StreamLifecycle.refusesAppends(state);
        if (refused.isPresent()) {
            return result(append, refused.get().outcome()).setActualVersion(current).setError(refused.get().why()).build();
        }
        VersionDecision.Decision decision = StreamLifecycle.decideAppend(state, append.getExpectedKind(),
                append.getExpectedVersion(), append.getEvents().size());
        AppendResult result;
        if (decision instanceof VersionDecision.Append accepted) {
            writeEvents(append, accepted.first(), GateTracing.eventContext(span));
            versions.put(append.getStreamId(), StreamLifecycle.afterAppend(state, accepted.last(),
                    Instant.ofEpochMilli(context.currentSystemTimeMs())));
            result = result(append, AppendOutcome.APPENDED).setFirstVersion(accepted.first())
                    .setLastVersion(accepted.last()).setActualVersion(current).build();
        } else {
            result = result(append, AppendOutcome.WRONG_EXPECTED_VERSION)
                    .setActualVersion(((VersionDecision.Conflict) decision).actual()).build();
        }
        applied.remember(result, fingerprint, requestTimestamp);
        return result;
    }

    private void writeEvents(StreamAppend append, long firstVersion, Optional<TraceContext> trace) {
        long now = context.currentSystemTimeMs();
        long version = firstVersion;
        for (EventData event : append.getEvents()) {
            RecordHeaders headers = new RecordHeaders();
            EnvelopeHeaders.put(headers, EnvelopeHeaders.STREAM, append.getStreamId());
            EnvelopeHeaders.put(headers, EnvelopeHeaders.VERSION, Long.toString(version++));
            EnvelopeHeaders.put(headers, EnvelopeHeaders.EVENT_ID, event.getEventId());
            EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, event.getEventType());
            EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, append.getCorrelationId());
            EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, append.getCausationId());
            EnvelopeHeaders.put(headers, EnvelopeHeaders.REQUEST_ID, append.getRequestId());
            event.getMetadata().forEach((name, value) -> EnvelopeHeaders.put(headers, name, value));
            // After the metadata: a reader takes a header's last value, so the store's context wins.
            trace.ifPresent(context -> context.putInto(headers));
            context.forward(new Record<>(append.getStreamId(), (Object) bytes(event.getPayload()), now, headers), GateTopology.EVENTS_SINK);
        }
    }

    private void reply(AppendResult result, int replyPartition, long timestamp) {
        context.forward(new Record<>(result.getRequestId(), (Object) new RoutedResult(result, replyPartition), timestamp),
                GateTopology.RESULTS_SINK);
    }

    private static AppendResult.Builder result(StreamAppend append, AppendOutcome outcome) {
        return AppendResult.newBuilder().setRequestId(append.getRequestId()).setStreamId(append.getStreamId()).setOutcome(outcome);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
