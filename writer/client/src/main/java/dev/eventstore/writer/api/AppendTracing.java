package dev.eventstore.writer.api;

import dev.eventstore.schemas.TraceContext;
import dev.eventstore.schemas.store.StreamAppend;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The append's span, from send to result, a child of the caller's current span; its context travels on the
 * append ({@code traceParent}, {@code traceState}) so the gate's span and the events continue the trace.
 * With no OpenTelemetry configured the tracer is a no-op: the span is invalid and nothing is propagated,
 * unless the caller's context holds a span (then that one is).
 */
final class AppendTracing {

    private final Tracer tracer;

    AppendTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(TraceContext.INSTRUMENTATION);
    }

    /** Starts the span of one append or change, ended when {@code future} completes. */
    Span start(String operation, String streamId, String requestId, CompletableFuture<?> future) {
        Span span = tracer.spanBuilder("eventstore " + operation).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("eventstore.stream", String.valueOf(streamId))
                .setAttribute("eventstore.request_id", requestId)
                .startSpan();
        future.whenComplete((result, error) -> {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
            }
            span.end();
        });
        return span;
    }

    /** Puts the span's context (or the caller's, when the span is a no-op) on the append. */
    static void carry(Span span, StreamAppend append) {
        Optional<TraceContext> context = TraceContext.of(Context.current().with(span));
        context.ifPresent(trace -> {
            append.setTraceParent(trace.traceParent());
            append.setTraceState(trace.traceState().orElse(null));
        });
    }
}
