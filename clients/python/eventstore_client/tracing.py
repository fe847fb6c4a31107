"""The W3C trace context of an append (docs/PROTOCOL.md, "Trace context"), taken from OpenTelemetry when the
opentelemetry-api package is installed: it is optional, never required."""

try:
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
except ImportError:  # no OpenTelemetry: appends carry a context only when the caller passes one
    TraceContextTextMapPropagator = None

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"


def current_context():
    """(traceparent, tracestate) of the current OpenTelemetry span, or (None, None) when there is none."""
    if TraceContextTextMapPropagator is None:
        return None, None
    carrier = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier.get(TRACEPARENT), carrier.get(TRACESTATE) or None
