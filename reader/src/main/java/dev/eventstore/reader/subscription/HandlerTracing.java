package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;

/**
 * The span around one handler call: a child of the event's trace context when it carries one (so the
 * handler joins the appender's trace), a new trace otherwise. It is current while the handler runs, so
 * the handler's own spans, and the appends it makes, continue it.
 */
final class HandlerTracing {

    private final Tracer tracer;
    private final String groupId;
    /**
     * No OpenTelemetry configured: nothing is recorded, so no span is built and the event's envelope is not
     * read for its trace context (reading every event's headers was most of a catch-up's time per event with a
     * handler that reads little). As the README says, without OpenTelemetry the store adds no trace headers:
     * a handler's appends carry none either, unless the handler makes {@code event.traceContext()} current.
     */
    private final boolean noop;

    HandlerTracing(OpenTelemetry openTelemetry, String groupId) {
        this.tracer = openTelemetry.getTracer(TraceContext.INSTRUMENTATION);
        this.noop = openTelemetry.getTracerProvider() == TracerProvider.noop();
        this.groupId = groupId;
    }

    /**
     * The span to make current while the handler runs, then end; null without OpenTelemetry.
     *
     * @throws dev.eventstore.reader.MalformedEnvelopeException when the event's envelope is unreadable
     */
    Span start(RecordedEvent event, int attempt) {
        if (noop) {
            return null;
        }
        Context parent = event.traceContext().map(TraceContext::asParent).orElse(Context.root());
        return tracer.spanBuilder("eventstore handle " + event.eventType()).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("eventstore.stream", event.streamId())
                .setAttribute("eventstore.version", event.version())
                .setAttribute("eventstore.subscription", groupId)
                .setAttribute("eventstore.attempt", attempt)
                .startSpan();
    }

    /** Marks the span, if any, as failed by {@code e}. */
    static void failed(Span span, String status, Throwable e) {
        if (span != null) {
            span.setStatus(StatusCode.ERROR, status);
            span.recordException(e);
        }
    }
}
