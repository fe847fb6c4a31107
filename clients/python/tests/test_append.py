"""The Python client against the embedded store: versions, conflicts, refusals, retries, pipelining."""

import threading
import uuid
import zlib
from concurrent.futures import Future

import pytest

from eventstore_client import (ANY, NO_STREAM, STREAM_EXISTS, AppendClient, Event, InvalidAppend, OutcomeUnknown,
                               WrongExpectedVersion, exact)
from helpers import OPENED_SCHEMA, events_of, opened, partition_of

WAIT_S = 30


def test_a_first_append_gets_versions_from_one_and_its_events_carry_the_envelope(client, store, stream_id):
    first, second = opened("ada", metadata={"tenant": "acme"}), opened("grace")

    result = client.append(stream_id, NO_STREAM, [first, second], correlation_id="corr-1").result(WAIT_S)

    assert (result.first_version, result.last_version, result.duplicate) == (1, 2, False)
    written = events_of(store, stream_id)
    assert [headers["es.version"] for headers, _ in written] == ["1", "2"]
    headers = written[0][0]
    assert headers["es.stream"] == stream_id
    assert headers["es.event-id"] == first.event_id
    assert headers["es.type"] == "PyAccountOpened"
    assert headers["es.request-id"] == result.request_id
    assert headers["es.correlation-id"] == "corr-1"
    assert headers["tenant"] == "acme"
    assert written[0][1][0] == 0  # the payload in the registry wire format


def test_a_wrong_expected_version_appends_nothing_and_states_the_actual_version(client, store, stream_id):
    client.append(stream_id, ANY, [opened(), opened(), opened()]).result(WAIT_S)

    with pytest.raises(WrongExpectedVersion) as conflict:
        client.append(stream_id, exact(1), [opened()]).result(WAIT_S)

    assert conflict.value.actual_version == 3
    assert conflict.value.expected == exact(1)
    assert len(events_of(store, stream_id)) == 3


def test_stream_exists_and_exact_continue_the_versions_and_no_stream_is_refused_once_it_exists(client, stream_id):
    with pytest.raises(WrongExpectedVersion) as missing:
        client.append(stream_id, STREAM_EXISTS, [opened()]).result(WAIT_S)
    assert missing.value.actual_version == 0

    assert client.append(stream_id, exact(0), [opened()]).result(WAIT_S).last_version == 1
    assert client.append(stream_id, STREAM_EXISTS, [opened()]).result(WAIT_S).last_version == 2
    assert client.append(stream_id, 2, [opened(), opened()]).result(WAIT_S).last_version == 4
    with pytest.raises(WrongExpectedVersion):
        client.append(stream_id, NO_STREAM, [opened()]).result(WAIT_S)


@pytest.mark.parametrize("stream, events, reason", [
    ("", [opened()], "stream id must not be empty"),
    ("Account-\n1", [opened()], "control characters"),
    ("Account-1", [], "at least one event"),
    ("Account-1", [opened(event_id="not-a-uuid")], "event id must be a UUID"),
    ("Account-1", [opened(metadata={"es.version": "9"})], "reserved prefix"),
    ("Account-1", [Event("PyAccountOpened", {"owner": 42}, OPENED_SCHEMA)], "not encoded"),
])
def test_an_invalid_append_is_refused_before_anything_is_sent(client, stream, events, reason):
    with pytest.raises(InvalidAppend) as refused:
        client.append(stream, ANY, events).result(WAIT_S)

    assert reason in str(refused.value)
    assert refused.value.outcome is None


PERSONAL_SCHEMA = ('{"type": "record", "name": "PyCustomerRegistered", "namespace": "pyclient.test", "fields": ['
                   '{"name": "customerId", "type": "string"},'
                   '{"name": "contact", "type": {"type": "record", "name": "PyContact", "fields": ['
                   '{"name": "email", "type": ["null", "string"], "default": null, "personal": true}]}}]}')


def test_an_event_with_personal_fields_is_refused_because_this_client_does_not_encrypt_them(client, store, stream_id):
    event = Event("PyCustomerRegistered", {"customerId": "c-1", "contact": {"email": "ada@example.com"}},
                  PERSONAL_SCHEMA)

    with pytest.raises(InvalidAppend) as refused:
        client.append(stream_id, ANY, [opened(), event]).result(WAIT_S)

    assert "personal fields (contact.email)" in str(refused.value)
    assert refused.value.outcome is None
    assert client.append(stream_id, NO_STREAM, [opened()]).result(WAIT_S).last_version == 1
    assert len(events_of(store, stream_id)) == 1


def test_a_blank_request_id_is_refused_before_anything_is_sent(client, stream_id):
    with pytest.raises(InvalidAppend) as refused:
        client.append(stream_id, ANY, [opened()], request_id=" ").result(WAIT_S)

    assert "request id" in str(refused.value)


def test_a_retry_with_the_same_request_id_gets_the_original_result_and_appends_nothing(client, store, stream_id):
    request_id = str(uuid.uuid4())
    event = opened()
    original = client.append(stream_id, NO_STREAM, [event], request_id=request_id).result(WAIT_S)

    retried = client.append(stream_id, NO_STREAM, [event], request_id=request_id).result(WAIT_S)

    assert retried.duplicate is True
    assert (retried.first_version, retried.last_version) == (original.first_version, original.last_version)
    assert len(events_of(store, stream_id)) == 1


def test_an_append_without_a_result_in_time_fails_as_outcome_unknown_with_its_request_id(client, stream_id):
    events = [opened()]
    with pytest.raises(OutcomeUnknown) as unknown:
        client.append(stream_id, ANY, events, request_id="slow-" + stream_id, timeout=0.000001).result(WAIT_S)

    assert unknown.value.request_id == "slow-" + stream_id
    # The retry the exception invites, the same append with the same request id: it is appended once.
    retried = client.append(stream_id, ANY, events, request_id=unknown.value.request_id).result(WAIT_S)
    assert retried.last_version == 1


def test_many_appends_in_flight_each_complete_and_every_stream_gets_gapless_versions(client):
    streams = ["PyPipelined-%d-%s" % (i, uuid.uuid4().hex[:8]) for i in range(20)]

    futures = [(stream, client.append(stream, ANY, [opened()])) for _ in range(10) for stream in streams]

    versions = {}
    for stream, future in futures:
        versions.setdefault(stream, []).append(future.result(WAIT_S).last_version)
    assert all(sorted(got) == list(range(1, 11)) for got in versions.values())


def test_a_done_callback_that_appends_again_and_waits_gets_the_result_and_holds_up_no_other_append(client, stream_id):
    released = threading.Event()
    second = Future()

    def append_again(first):
        try:
            second.set_result(client.append(stream_id, exact(first.result().last_version), [opened()], timeout=60).result())
        except Exception as error:
            second.set_exception(error)
        released.wait()  # and then block, while other appends go on

    client.append(stream_id, NO_STREAM, [opened()], timeout=60).add_done_callback(append_again)
    try:
        assert second.result(WAIT_S).last_version == 2
        other = "PyOther-" + uuid.uuid4().hex[:12]
        assert client.append(other, NO_STREAM, [opened()], timeout=60).result(WAIT_S).last_version == 1
    finally:
        released.set()


def test_librdkafkas_default_partitioner_would_put_a_stream_on_another_partition_and_the_gate_refuses_it(store):
    partitions = 4
    stream = next(s for s in ("PyMisrouted-%d-%s" % (i, uuid.uuid4().hex[:6]) for i in range(1000))
                  if zlib.crc32(s.encode()) % partitions != partition_of(s, partitions))
    with AppendClient(store["kafka.bootstrap.servers"], store["schema.registry.url"],
                      producer_config={"partitioner": "consistent_random"}) as misconfigured:

        with pytest.raises(InvalidAppend) as refused:
            misconfigured.append(stream, ANY, [opened()]).result(WAIT_S)

    assert refused.value.outcome == "MISROUTED"
    assert events_of(store, stream) == []


def test_the_partitioner_follows_the_documents_examples():
    assert [partition_of(s, 4) for s in ("Account-1", "Account-2", "Account-3", "Account-5", "über-stream")] == [1, 2, 3, 0, 1]
    assert [partition_of(s, 12) for s in ("Account-1", "Account-2", "Account-3", "Account-5", "über-stream")] == [1, 10, 11, 4, 9]
