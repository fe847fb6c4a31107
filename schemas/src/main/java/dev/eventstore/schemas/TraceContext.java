package dev.eventstore.schemas;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C trace context as the store carries it: on an append ({@code traceParent}, {@code traceState}
 * fields of the request, docs/PROTOCOL.md) and on each event (the {@value #TRACEPARENT} and
 * {@value #TRACESTATE} Kafka headers, the names OpenTelemetry's Kafka instrumentation uses). Parsing and
 * writing are the W3C propagator's of the OpenTelemetry API, so this needs no SDK.
 *
 * @param traceParent as received: it may be malformed ({@link #isValid()})
 * @param traceState empty when absent or empty
 */
public record TraceContext(String traceParent, Optional<String> traceState) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The instrumentation scope of the store's spans. */
    public static final String INSTRUMENTATION = "dev.eventstore";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return TRACEPARENT.equals(key) ? carrier.traceParent : TRACESTATE.equals(key) ? carrier.traceState.orElse(null) : null;
        }
    };

    public TraceContext {
        Objects.requireNonNull(traceParent, "traceParent");
        traceState = traceState.filter(state -> !state.isEmpty());
    }

    /** The context of the span current in {@code context}; empty when there is none (nothing to propagate). */
    public static Optional<TraceContext> of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return Optional.empty(); // the common case without OpenTelemetry: nothing to write, nothing allocated
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3C.inject(context, carrier, Map::put);
        String parent = carrier.get(TRACEPARENT);
        return parent == null ? Optional.empty() : Optional.of(new TraceContext(parent, Optional.ofNullable(carrier.get(TRACESTATE))));
    }

    /** The context given by a pair of fields or headers; empty when {@code traceParent} is null (absent). */
    public static Optional<TraceContext> of(String traceParent, String traceState) {
        return traceParent == null ? Optional.empty() : Optional.of(new TraceContext(traceParent, Optional.ofNullable(traceState)));
    }

    /** The context carried by an event's headers, as received (possibly malformed); empty without {@value #TRACEPARENT}. */
    public static Optional<TraceContext> of(Headers headers) {
        return of(EnvelopeHeaders.get(headers, TRACEPARENT).orElse(null), EnvelopeHeaders.get(headers, TRACESTATE).orElse(null));
    }

    /** The remote span this context names; invalid ({@link SpanContext#isValid()} false) when the traceparent is malformed. */
    public SpanContext spanContext() {
        return Span.fromContext(asParent()).getSpanContext();
    }

    /** Whether the traceparent is well formed (version, 32-hex trace id and 16-hex span id, not all zeros, flags). */
    public boolean isValid() {
        return spanContext().isValid();
    }

    /** A context whose span is this remote one, to start a child span in; the root context when malformed. */
    public Context asParent() {
        return W3C.extract(Context.root(), this, GETTER);
    }

    /** Adds the two headers to an event's headers (the trace state only when there is one). */
    public void putInto(Headers headers) {
        headers.add(TRACEPARENT, traceParent.getBytes(StandardCharsets.UTF_8));
        traceState.ifPresent(state -> headers.add(TRACESTATE, state.getBytes(StandardCharsets.UTF_8)));
    }
}
