"""The trace context an append carries (docs/PROTOCOL.md, "Trace context"): passed by the caller, or taken
from the current OpenTelemetry span, continued by the gate into each event's headers, never a reason to fail."""

from opentelemetry import trace

from eventstore_client import NO_STREAM
from helpers import events_of, opened

WAIT_S = 30
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def trace_of(traceparent):
    return traceparent.split("-")[1]


def test_a_traceparent_and_tracestate_passed_with_an_append_reach_every_event_of_it(client, store, stream_id):
    client.append(stream_id, NO_STREAM, [opened(), opened()], trace_parent=TRACEPARENT,
                  trace_state="vendor=py").result(WAIT_S)

    written = events_of(store, stream_id)
    assert len(written) == 2
    for headers, _ in written:
        # The gate's span is a child of the caller's (the same span when the gate traces with no SDK).
        assert trace_of(headers["traceparent"]) == trace_of(TRACEPARENT)
        assert headers["tracestate"] == "vendor=py"


def test_the_current_opentelemetry_span_is_carried_when_no_context_is_passed(client, store, stream_id):
    # The API alone: a span as an SDK or an instrumentation would make current (the SDK is not needed).
    caller = trace.SpanContext(trace_id=0x0af7651916cd43dd8448eb211c80319c, span_id=0xb7ad6b7169203331,
                               is_remote=False, trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED))
    with trace.use_span(trace.NonRecordingSpan(caller)):
        client.append(stream_id, NO_STREAM, [opened()]).result(WAIT_S)

    headers, _ = events_of(store, stream_id)[0]

    assert trace_of(headers["traceparent"]) == "0af7651916cd43dd8448eb211c80319c"


def test_an_append_without_a_current_span_or_a_context_carries_none(client, store, stream_id):
    client.append(stream_id, NO_STREAM, [opened()]).result(WAIT_S)

    headers, _ = events_of(store, stream_id)[0]

    assert "traceparent" not in headers and "tracestate" not in headers


def test_a_malformed_traceparent_does_not_stop_the_append_and_is_not_copied(client, store, stream_id):
    result = client.append(stream_id, NO_STREAM, [opened()], trace_parent="00-not-a-trace-01").result(WAIT_S)

    assert result.last_version == 1
    headers, _ = events_of(store, stream_id)[0]
    assert "traceparent" not in headers
