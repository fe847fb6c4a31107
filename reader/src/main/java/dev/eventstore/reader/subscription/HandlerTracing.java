package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The span around one handler call: a child of the event's trace context when it carries one (so the
 * handler joins the appender's trace), a new trace otherwise. It is current while the handler runs, so
 * the handler's own spans, and the appends it makes, continue it.
 */
final class HandlerTracing {

    private final Tracer tracer;
    private final String groupId;

    HandlerTracing(OpenTelemetry openTelemetry, String groupId) {
        this.tracer = openTelemetry.getTracer(TraceContext.INSTRUMENTATION);
        this.groupId = groupId;
    }

    Span start(RecordedEvent event, int attempt) {
        Context parent = event.traceContext().map(TraceContext::asParent).orElse(Context.root());
        return tracer.spanBuilder("eventstore handle " + event.eventType()).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("eventstore.stream", event.streamId())
                .setAttribute("eventstore.version", event.version())
                .setAttribute("eventstore.subscription", groupId)
                .setAttribute("eventstore.attempt", attempt)
                .startSpan();
    }
}
