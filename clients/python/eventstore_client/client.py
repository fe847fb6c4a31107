"""The append client: a Kafka producer, a read_committed consumer of one result partition, and the
schema registry, following docs/PROTOCOL.md and nothing else."""

import datetime
import logging
import os
import random
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from . import limits, personal, tracing
from .errors import InvalidAppend, OutcomeUnknown, WrongExpectedVersion
from .expected import ExpectedVersion, exact
from .schemas import APPEND_REQUEST_SCHEMA, APPEND_RESULT_SCHEMA, PROTOCOL_VERSION

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One event to append: its type, its data (a dict) and the Avro schema (JSON text) of the data."""

    type: str
    data: dict
    schema: str
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AppendResult:
    """An applied append: its events got versions first_version .. last_version."""

    stream_id: str
    first_version: int
    last_version: int
    request_id: str
    duplicate: bool


def time_ordered_id():
    """A UUID version 7: 48 bits of milliseconds, then random bits (the gate finds retries of these fastest)."""
    millis = int(time.time() * 1000) & ((1 << 48) - 1)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis << 80) | (0x7 << 76) | ((rand >> 68) & 0xFFF) << 64 | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


class _Pending:
    __slots__ = ("stream_id", "expected", "request_id", "deadline", "future")

    def __init__(self, stream_id, expected, request_id, deadline):
        self.stream_id = stream_id
        self.expected = expected
        self.request_id = request_id
        self.deadline = deadline
        self.future = Future()


class AppendClient:
    """Appends events to streams through the store's gate. Thread-safe and pipelined: append() returns a
    Future at once, and any number of appends may be in flight.

    ``producer_config`` and ``consumer_config`` are passed to librdkafka after the settings the
    protocol needs (security settings and the like).
    """

    def __init__(self, bootstrap_servers, schema_registry_url, topic_prefix="es", timeout=10.0,
                 producer_config=None, consumer_config=None):
        self._requests_topic = topic_prefix + ".append-requests"
        self._results_topic = topic_prefix + ".append-results"
        self._events_topic = topic_prefix + ".events"
        self._timeout = timeout
        self._registry = SchemaRegistryClient({"url": schema_registry_url})
        self._request_serializer = AvroSerializer(self._registry, APPEND_REQUEST_SCHEMA)
        self._result_deserializer = AvroDeserializer(self._registry, APPEND_RESULT_SCHEMA)
        self._event_serializers = {}
        self._serializers_lock = threading.Lock()
        self._producer = Producer(dict({
            "bootstrap.servers": bootstrap_servers,
            # The gate decides a stream on partition murmur2(stream id) % partitions, as Kafka's Java
            # producer places a keyed record; librdkafka's default (consistent_random, CRC32) would not.
            "partitioner": "murmur2_random",
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 2,
            "message.max.bytes": limits.MAX_REQUEST_BYTES + 64 * 1024,
        }, **(producer_config or {})))
        self._consumer = Consumer(dict({
            "bootstrap.servers": bootstrap_servers,
            # librdkafka wants a group id even for a consumer that only assigns itself a partition.
            "group.id": "eventstore-append-replies-" + str(uuid.uuid4()),
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
            "fetch.wait.max.ms": 100,
        }, **(consumer_config or {})))
        self._reply_partition = self._assign_reply_partition()
        self._pending = {}
        self._lock = threading.Lock()
        self._closed = False
        self._running = True
        # The futures complete here, not on the listener: a done-callback that blocks (on another append of this
        # client, say) would otherwise stop every result and every timeout behind it, its own awaited one included.
        # An idle thread takes the next completion; a new one comes only while all are busy.
        self._completions = ThreadPoolExecutor(max_workers=64, thread_name_prefix="append-completions")
        self._listener = threading.Thread(target=self._listen, name="append-replies", daemon=True)
        self._listener.start()

    def _assign_reply_partition(self):
        metadata = self._consumer.list_topics(self._results_topic, timeout=30)
        partitions = metadata.topics[self._results_topic].partitions
        if not partitions:
            raise KafkaException("topic %s has no partitions (does the store run?)" % self._results_topic)
        # Clients spread over the result partitions; results of the other clients there are ignored.
        partition = random.choice(sorted(partitions))
        # Fixed at the partition's end before any request is sent, so no result of ours passes unseen.
        _, end = self._consumer.get_watermark_offsets(TopicPartition(self._results_topic, partition), timeout=30)
        self._consumer.assign([TopicPartition(self._results_topic, partition, end)])
        return partition

    @property
    def reply_partition(self):
        return self._reply_partition

    def in_flight(self):
        with self._lock:
            return len(self._pending)

    def append(self, stream_id, expected_version, events, request_id=None, timeout=None,
               correlation_id=None, causation_id=None, trace_parent=None, trace_state=None):
        """Appends ``events`` (a list of Event) to a stream, atomically, if it is at ``expected_version``
        (ANY, NO_STREAM, STREAM_EXISTS, exact(n), or an int for exact).

        ``trace_parent`` and ``trace_state`` (W3C ``traceparent`` / ``tracestate``) put the append in a
        trace: the gate continues it and its events carry it. Without them the context of the current
        OpenTelemetry span is taken, when the opentelemetry-api package is installed and a span is current.

        Returns a Future of AppendResult that fails with WrongExpectedVersion, InvalidAppend or
        OutcomeUnknown (retry with its request_id). Pass the request id of an earlier attempt to retry it.
        """
        if trace_parent is None:
            trace_parent, trace_state = tracing.current_context()
        if isinstance(expected_version, int) and not isinstance(expected_version, bool):
            expected_version = exact(expected_version)
        request_id = time_ordered_id() if request_id is None else request_id
        wait = self._timeout if timeout is None else timeout
        pending = _Pending(stream_id, expected_version, request_id, time.monotonic() + wait)
        try:
            if self._closed:
                raise RuntimeError("the append client is closed")
            if not isinstance(request_id, str) or not request_id.strip():
                raise InvalidAppend(stream_id, "request id must be a non-empty string")
            if not isinstance(expected_version, ExpectedVersion):
                raise InvalidAppend(stream_id, "expected version must be ANY, NO_STREAM, STREAM_EXISTS or exact(n)")
            value = self._encode(stream_id, expected_version, events, request_id, correlation_id, causation_id,
                                 trace_parent, trace_state)
        except Exception as error:  # the future carries every failure, as the Java client's does
            pending.future.set_exception(error)
            return pending.future
        with self._lock:
            self._pending[request_id] = pending
        try:
            self._producer.produce(self._requests_topic, key=stream_id.encode("utf-8"), value=value,
                                   on_delivery=lambda error, message: self._delivered(request_id, error))
        except BufferError:
            self._fail(request_id, OutcomeUnknown(stream_id, request_id, "the producer's queue is full"))
        except KafkaException as error:
            self._fail(request_id, OutcomeUnknown(stream_id, request_id, "sending failed: %s" % error))
        return pending.future

    def _encode(self, stream_id, expected, events, request_id, correlation_id, causation_id, trace_parent, trace_state):
        if not isinstance(events, (list, tuple)) or not all(isinstance(e, Event) for e in events):
            raise InvalidAppend(stream_id, "events must be a list of Event")
        data = [{"eventId": e.event_id, "eventType": e.type, "payload": b"\0" * 5,
                 "metadata": dict(e.metadata)} for e in events]
        problem = limits.problem_with(stream_id, data)
        if problem:
            raise InvalidAppend(stream_id, problem)
        for event in events:
            marked = personal.personal_fields(event.schema)
            if marked:
                raise InvalidAppend(stream_id, "event type %s has personal fields (%s): this client does not encrypt"
                                    " them, so it does not write them (append such events with the Java client)"
                                    % (event.type, ", ".join(marked)))
        for wire, event in zip(data, events):
            wire["payload"] = self._event_payload(stream_id, event)
        request = {
            "protocolVersion": PROTOCOL_VERSION,
            "replyPartition": self._reply_partition,
            "sentAt": datetime.datetime.now(datetime.timezone.utc),
            "appends": [{
                "requestId": request_id,
                "streamId": stream_id,
                "expectedKind": expected.kind,
                "expectedVersion": expected.version,
                "correlationId": correlation_id,
                "causationId": causation_id,
                "events": data,
                "traceParent": trace_parent,
                "traceState": trace_state,
            }],
        }
        value = self._request_serializer(request, SerializationContext(self._requests_topic, MessageField.VALUE))
        if len(value) > limits.MAX_REQUEST_BYTES:
            raise InvalidAppend(stream_id, "%d bytes encoded, more than the limit of %d" % (len(value), limits.MAX_REQUEST_BYTES))
        return value

    def _event_payload(self, stream_id, event):
        serializer = self._event_serializer(event.schema)
        try:
            return serializer(event.data, SerializationContext(self._events_topic, MessageField.VALUE))
        except SchemaRegistryError as error:
            if 400 <= error.http_status_code < 500:
                raise InvalidAppend(stream_id, "schema of event type %s not accepted: %s" % (event.type, error)) from error
            raise  # the registry failed: nothing was sent, the append may be sent again
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # data that does not fit its schema
            raise InvalidAppend(stream_id, "event of type %s not encoded: %s" % (event.type, error)) from error

    def _event_serializer(self, schema):
        with self._serializers_lock:
            serializer = self._event_serializers.get(schema)
            if serializer is None:
                # <events topic>-<record full name>: the topic holds events of many types.
                serializer = AvroSerializer(self._registry, schema, conf={
                    "subject.name.strategy": lambda ctx, record_name: ctx.topic + "-" + record_name})
                self._event_serializers[schema] = serializer
            return serializer

    def _delivered(self, request_id, error):
        if error is None:
            return
        pending = self._pending.get(request_id)
        if pending is None:
            return
        if error.code() == KafkaError.MSG_SIZE_TOO_LARGE:
            self._fail(request_id, InvalidAppend(pending.stream_id, "refused by Kafka: %s" % error.str()))
        else:
            # The request may have reached the log before the error: the outcome is unknown.
            self._fail(request_id, OutcomeUnknown(pending.stream_id, request_id, "sending failed: %s" % error.str()))

    def _fail(self, request_id, error):
        with self._lock:
            pending = self._pending.pop(request_id, None)
        if pending is not None:
            self._settle(pending.future.set_exception, error)

    def _settle(self, complete, outcome):
        """Completes a future on a completion thread; on this one once the client has closed."""
        try:
            self._completions.submit(complete, outcome)
        except RuntimeError:  # shut down
            complete(outcome)

    def _listen(self):
        try:
            while self._running:
                self._producer.poll(0)
                message = self._consumer.poll(0.1)
                self._expire()  # first: a result that comes after its append's deadline is not waited for
                if message is not None and message.error() is None:
                    self._answer(message)
                elif message is not None:
                    log.warning("reply consumer: %s", message.error())
        except Exception as error:  # keep no future hanging
            log.exception("reply listener failed")
            self._fail_all(lambda p: OutcomeUnknown(p.stream_id, p.request_id, "the reply listener failed: %s" % error))

    def _answer(self, message):
        request_id = message.key().decode("utf-8") if message.key() is not None else None
        with self._lock:
            pending = self._pending.pop(request_id, None)
        if pending is None:
            return  # another client's result, or one that came after its timeout
        try:
            result = self._result_deserializer(message.value(), SerializationContext(self._results_topic, MessageField.VALUE))
        except Exception as error:
            self._settle(pending.future.set_exception, OutcomeUnknown(pending.stream_id, pending.request_id,
                                                                     "its result could not be read: %s" % error))
            return
        outcome = result["outcome"]
        if outcome == "APPENDED":
            self._settle(pending.future.set_result, AppendResult(result["streamId"], result["firstVersion"],
                                                                 result["lastVersion"], result["requestId"], result["duplicate"]))
        elif outcome == "WRONG_EXPECTED_VERSION":
            self._settle(pending.future.set_exception,
                         WrongExpectedVersion(pending.stream_id, pending.expected, result["actualVersion"]))
        else:
            # INVALID, MISROUTED, UNSUPPORTED_VERSION, or a later refusal read as INVALID.
            self._settle(pending.future.set_exception, InvalidAppend(pending.stream_id, result["error"], outcome))

    def _expire(self):
        now = time.monotonic()
        with self._lock:
            expired = [p for p in self._pending.values() if p.deadline <= now]
            for p in expired:
                del self._pending[p.request_id]
        for p in expired:
            self._settle(p.future.set_exception, OutcomeUnknown(p.stream_id, p.request_id, "no result arrived in time"))

    def _fail_all(self, error_of):
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
        for p in pending:
            self._settle(p.future.set_exception, error_of(p))

    def close(self, drain=None):
        """Stops taking appends, waits up to ``drain`` seconds (default: the timeout) for the results in
        flight, then fails the rest with OutcomeUnknown. No future is left pending."""
        self._closed = True
        self._producer.flush(self._timeout)
        deadline = time.monotonic() + (self._timeout if drain is None else drain)
        while self.in_flight() and time.monotonic() < deadline:
            time.sleep(0.005)
        self._fail_all(lambda p: OutcomeUnknown(p.stream_id, p.request_id, "the client closed before the result arrived"))
        self._running = False
        self._listener.join()
        self._consumer.close()
        # The completions handed over still run; a callback that never returns does not hold close() up.
        self._completions.shutdown(wait=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
