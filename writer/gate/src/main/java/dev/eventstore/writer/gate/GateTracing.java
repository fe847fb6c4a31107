package dev.eventstore.writer.gate;

import dev.eventstore.schemas.TraceContext;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.StreamAppend;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's span of one decision, a child of the span the append's trace context names, and the context
 * its events carry on. An append without a trace context gets no span and its events no trace headers
 * (an untraced client starts no trace here); a malformed one is ignored, counted and logged at debug: a
 * trace context never fails an append.
 */
final class GateTracing {

    private static final Logger log = LoggerFactory.getLogger(GateTracing.class);
    private final Tracer tracer;
    private final GateMeters meters;

    GateTracing(OpenTelemetry openTelemetry, GateMeters meters) {
        this.tracer = openTelemetry.getTracer(TraceContext.INSTRUMENTATION);
        this.meters = meters;
    }

    /** The decision's span; {@link Span#getInvalid()} when the append carries no usable context. */
    Span start(StreamAppend append, int partition) {
        Optional<TraceContext> carried = TraceContext.of(append.getTraceParent(), append.getTraceState());
        if (carried.isEmpty()) {
            return Span.getInvalid();
        }
        Context parent = carried.get().asParent();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            meters.malformedTraceContext();
            log.debug("Ignoring the malformed traceparent '{}' of request {}", append.getTraceParent(), append.getRequestId());
            return Span.getInvalid();
        }
        // With a no-op tracer this is the client's span itself: the events then carry the client's context.
        return tracer.spanBuilder("eventstore gate decide").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("eventstore.stream", append.getStreamId())
                .setAttribute("eventstore.request_id", append.getRequestId())
                .setAttribute("messaging.destination.partition.id", Integer.toString(partition))
                .startSpan();
    }

    /** The context an accepted append's events carry: the decision's span's; empty without one. */
    static Optional<TraceContext> eventContext(Span decision) {
        return decision.getSpanContext().isValid() ? TraceContext.of(Context.root().with(decision)) : Optional.empty();
    }

    static void end(Span decision, AppendResult result) {
        decision.setAttribute("eventstore.outcome", result.getOutcome().name());
        if (result.getDuplicate()) {
            decision.setAttribute("eventstore.duplicate", true);
        }
        decision.end();
    }
}
