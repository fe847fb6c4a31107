"""The request and result schemas of the append protocol, version 1, copied from docs/PROTOCOL.md.

tests/test_protocol_document.py checks that they are still the document's.
"""

PROTOCOL_VERSION = 1

APPEND_REQUEST_SCHEMA = r"""
{"type": "record", "name": "AppendRequest", "namespace": "dev.eventstore.schemas.store", "doc": "A record on the append-requests topic: one or more appends to streams of the same partition, each answered by its own AppendResult.", "fields": [
  {"name": "protocolVersion", "type": "int", "default": 1, "doc": "The version of the append protocol the client follows (docs/PROTOCOL.md); a gate refuses a version it does not know with UNSUPPORTED_VERSION."},
  {"name": "replyPartition", "type": "int", "doc": "The partition of the append-results topic that the client reads."},
  {"name": "sentAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
  {"name": "appends", "type": {"type": "array", "items": {"type": "record", "name": "StreamAppend", "namespace": "dev.eventstore.schemas.store", "doc": "An append of one or more events to one stream, decided atomically by the gate.", "fields": [
    {"name": "requestId", "type": "string", "doc": "Identifies the append for idempotency and for routing its result."},
    {"name": "streamId", "type": "string"},
    {"name": "expectedKind", "type": {"type": "enum", "name": "ExpectedVersionKind", "namespace": "dev.eventstore.schemas.store", "doc": "What an append expects of its stream. EXACT uses the accompanying version number.", "symbols": ["ANY", "NO_STREAM", "STREAM_EXISTS", "EXACT"]}},
    {"name": "expectedVersion", "type": "long", "default": 0, "doc": "Only meaningful when expectedKind is EXACT."},
    {"name": "correlationId", "type": ["null", "string"], "default": null},
    {"name": "causationId", "type": ["null", "string"], "default": null},
    {"name": "events", "type": {"type": "array", "items": {"type": "record", "name": "EventData", "namespace": "dev.eventstore.schemas.store", "doc": "One event of an append, its payload already in the schema-registry wire format.", "fields": [
      {"name": "eventId", "type": "string", "doc": "UUID chosen by the client."},
      {"name": "eventType", "type": "string"},
      {"name": "payload", "type": "bytes", "doc": "Magic byte 0, 4-byte big-endian schema id, Avro binary."},
      {"name": "metadata", "type": {"type": "map", "values": "string"}, "default": {}}
    ]}}},
    {"name": "change", "type": ["null", {"type": "record", "name": "StreamChange", "namespace": "dev.eventstore.schemas.store", "doc": "A lifecycle operation carried by a StreamAppend in place of events.", "fields": [{"name": "kind", "type": {"type": "enum", "name": "StreamChangeKind", "namespace": "dev.eventstore.schemas.store", "doc": "A change of a stream's lifecycle decided by the gate: soft delete, hard delete (tombstone), truncation, retention metadata.", "symbols": ["DELETE", "TOMBSTONE", "TRUNCATE", "SET_METADATA"]}}, {"name": "truncateBefore", "type": "long", "default": 0, "doc": "TRUNCATE: the first version that stays readable."}, {"name": "maxCount", "type": ["null", "long"], "default": null, "doc": "SET_METADATA: keep at most this many latest events; null: no limit."}, {"name": "maxAgeMillis", "type": ["null", "long"], "default": null, "doc": "SET_METADATA: keep events younger than this; null: no limit."}]}], "default": null, "doc": "A lifecycle operation instead of an append: its events must then be empty."},
    {"name": "traceParent", "type": ["null", "string"], "default": null, "doc": "The W3C traceparent of the caller's span, or null: the gate continues the trace and copies it into each event's headers; a malformed value is ignored."},
    {"name": "traceState", "type": ["null", "string"], "default": null, "doc": "The W3C tracestate that goes with traceParent, or null."}
  ]}}}
]}
"""

APPEND_RESULT_SCHEMA = r"""
{"type": "record", "name": "AppendResult", "namespace": "dev.eventstore.schemas.store", "doc": "The gate's answer to one StreamAppend, keyed by its request id.", "fields": [
  {"name": "requestId", "type": "string"},
  {"name": "streamId", "type": "string"},
  {"name": "outcome", "type": {"type": "enum", "name": "AppendOutcome", "namespace": "dev.eventstore.schemas.store", "doc": "APPENDED, WRONG_EXPECTED_VERSION, or a refusal: INVALID (the append breaks a rule), MISROUTED (its stream does not belong to the partition it arrived on), UNSUPPORTED_VERSION (the request's protocol version is unknown to the gate), STREAM_DELETED / STREAM_TOMBSTONED (the stream was deleted, or deleted for ever), VERSION_OUT_OF_RANGE (a truncation beyond the stream's end). A reader that meets a symbol it does not know reads the default, INVALID: a refusal.", "symbols": ["APPENDED", "WRONG_EXPECTED_VERSION", "INVALID", "MISROUTED", "UNSUPPORTED_VERSION", "STREAM_DELETED", "STREAM_TOMBSTONED", "VERSION_OUT_OF_RANGE"], "default": "INVALID"}},
  {"name": "firstVersion", "type": "long", "default": 0, "doc": "APPENDED: the version of the first event."},
  {"name": "lastVersion", "type": "long", "default": 0, "doc": "APPENDED: the version of the last event, the stream's new version."},
  {"name": "actualVersion", "type": "long", "default": 0, "doc": "The stream's version when the append was decided (before it, if APPENDED)."},
  {"name": "error", "type": ["null", "string"], "default": null, "doc": "INVALID: why."},
  {"name": "duplicate", "type": "boolean", "default": false, "doc": "True when the request id had already been applied and this is the original result."}
]}
"""
