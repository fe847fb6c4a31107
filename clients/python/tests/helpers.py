"""Test data and a reader of the events topic, for checking what the gate wrote."""

import time
import uuid

from confluent_kafka import Consumer, TopicPartition

from eventstore_client import Event

OPENED_SCHEMA = ('{"type": "record", "name": "PyAccountOpened", "namespace": "pyclient.test",'
                 ' "fields": [{"name": "owner", "type": "string"}]}')


def opened(owner="ada", **kwargs):
    return Event("PyAccountOpened", {"owner": owner}, OPENED_SCHEMA, **kwargs)


def murmur2(data):
    """Kafka's murmur2 (the Java producer's hash of a key), as a signed 32-bit int."""
    length = len(data)
    m, r = 0x5bd1e995, 24
    h = (0x9747b28c ^ length) & 0xFFFFFFFF
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    rest = length % 4
    tail = length - rest
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h - (1 << 32) if h >= 1 << 31 else h


def partition_of(stream_id, partitions):
    return (murmur2(stream_id.encode("utf-8")) & 0x7FFFFFFF) % partitions


def events_of(store, stream_id, topic="es.events"):
    """Every committed event of a stream, in log order, as (headers dict, value bytes)."""
    consumer = Consumer({"bootstrap.servers": store["kafka.bootstrap.servers"], "group.id": "pytest-" + uuid.uuid4().hex,
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        partition = partition_of(stream_id, len(partitions))
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)
        consumer.assign([TopicPartition(topic, partition, low)])
        found = []
        deadline = time.monotonic() + 30
        # Read up to the end as it was; the position passes transaction markers, which are no messages.
        while consumer.position([TopicPartition(topic, partition)])[0].offset < high and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and not message.error() and message.key() == stream_id.encode("utf-8"):
                found.append(({k: v.decode("utf-8") for k, v in message.headers() or []}, message.value()))
        return found
    finally:
        consumer.close()
