"""The limits of docs/PROTOCOL.md ("Limits"), checked before anything is sent."""

import re

MAX_STREAM_ID_LENGTH = 500
MAX_EVENT_TYPE_LENGTH = 200
MAX_EVENTS_PER_APPEND = 1000
MAX_REQUEST_BYTES = 1_000_000
RESERVED_PREFIX = "es."

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _has_control(text):
    return any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in text)


def problem_with(stream_id, events):
    """Why this append breaks a rule, or None. ``events`` are the wire-form dicts of EventData."""
    if not isinstance(stream_id, str) or not stream_id:
        return "stream id must not be empty"
    if len(stream_id) > MAX_STREAM_ID_LENGTH:
        return "stream id is longer than %d characters" % MAX_STREAM_ID_LENGTH
    if _has_control(stream_id):
        return "stream id must not contain control characters"
    if not events:
        return "an append needs at least one event"
    if len(events) > MAX_EVENTS_PER_APPEND:
        return "an append holds at most %d events, not %d" % (MAX_EVENTS_PER_APPEND, len(events))
    seen = {}
    for i, event in enumerate(events):
        problem = _problem_with_event(event)
        if problem:
            return "event %d: %s" % (i, problem)
        earlier = seen.setdefault(event["eventId"].lower(), i)
        if earlier != i:
            return "event %d: event id %s is also the id of event %d" % (i, event["eventId"], earlier)
    return None


def _problem_with_event(event):
    event_type = event["eventType"]
    if not isinstance(event_type, str) or not event_type.strip():
        return "event type must not be empty"
    if len(event_type) > MAX_EVENT_TYPE_LENGTH or _has_control(event_type):
        return "event type must be at most %d characters without control characters" % MAX_EVENT_TYPE_LENGTH
    if not isinstance(event["eventId"], str) or not _UUID.match(event["eventId"]):
        return "event id must be a UUID, not %r" % (event["eventId"],)
    for name in event["metadata"]:
        if name.startswith(RESERVED_PREFIX):
            return "metadata name %r uses the reserved prefix %s" % (name, RESERVED_PREFIX)
    return None
