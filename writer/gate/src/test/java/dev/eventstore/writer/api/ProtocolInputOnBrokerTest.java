package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.registry.WireFormat;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.writer.gate.Gate;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an outside client may put on the request topic, produced raw (as a client in another language
 * would) to a gate on the broker with four partitions: each bad request is refused with a typed outcome
 * on its reply partition where it names one, skipped where it cannot be answered, and the gate goes on.
 */
class ProtocolInputOnBrokerTest {

    private static final int PARTITIONS = 4;
    private static final int REPLY_PARTITION = 2;

    @TempDir
    static Path stateDir;

    private static LocalStack stack;
    private static StoreTopics topics;
    private static Gate gate;
    private static SchemaRegistryClient registry;
    private static StoreRecordCodec<AppendRequest> requests;
    private static StoreRecordCodec<AppendResult> results;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> replies;

    @BeforeAll
    static void startGate() {
        stack = LocalStack.shared();
        topics = new StoreTopics("proto" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        BrokerGate.provision(stack, topics);
        gate = Gate.start(BrokerGate.gateConfig(stack, topics, stateDir), Duration.ofSeconds(60));
        registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
        requests = AppendProtocol.requests(registry, topics);
        results = AppendProtocol.results(registry, topics);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000), new StringSerializer(), new ByteArraySerializer());
        replies = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition replyPartition = new TopicPartition(topics.appendResults(), REPLY_PARTITION);
        replies.assign(List.of(replyPartition));
        replies.seekToBeginning(List.of(replyPartition));
    }

    @AfterAll
    static void stopGate() {
        replies.close();
        producer.close();
        gate.close();
    }

    @Test
    void aRequestProducedToAnotherPartitionThanItsStreamsIsRefusedAsMisroutedAndAppendsNothing() {
        StreamAppend append = append("Account-misrouted");
        int owner = AppendProtocol.partitionOf(append.getStreamId(), PARTITIONS);

        send((owner + 1) % PARTITIONS, append.getStreamId(), requests.encode(request(append)));

        AppendResult result = resultOf(append);
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.MISROUTED);
        assertThat(result.getError()).contains("belongs to partition " + owner);
        assertAppendedAfterwardsWithVersionOne(append.getStreamId());
    }

    @Test
    void aRequestOfAnUnknownProtocolVersionIsRefusedAsUnsupportedAndAppendsNothing() {
        StreamAppend append = append("Account-future");
        AppendRequest request = request(append);
        request.setProtocolVersion(AppendProtocol.VERSION + 1);

        sendToOwner(append, requests.encode(request));

        AppendResult result = resultOf(append);
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.UNSUPPORTED_VERSION);
        assertThat(result.getError()).contains("protocol version 2");
        assertAppendedAfterwardsWithVersionOne(append.getStreamId());
    }

    @Test
    void aRequestOverTheSizeLimitIsRefusedAsInvalidAndAppendsNothing() {
        byte[] big = new byte[1_000_100];
        big[0] = WireFormat.MAGIC;
        StreamAppend append = append("Account-oversized");
        append.getEvents().get(0).setPayload(ByteBuffer.wrap(big));

        sendToOwner(append, requests.encode(request(append)));

        AppendResult result = resultOf(append);
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.INVALID);
        assertThat(result.getError()).contains("more than the limit of 1000000");
        assertAppendedAfterwardsWithVersionOne(append.getStreamId());
    }

    @Test
    void aRequestWithoutAReplyPartitionOrWithOneOutOfRangeIsSkippedAndTheGateGoesOn() {
        StreamAppend noReply = append("Account-unaddressed");
        StreamAppend outOfRange = append("Account-unaddressed");
        AppendRequest withoutReply = request(noReply);
        withoutReply.setReplyPartition(-1);
        AppendRequest beyond = request(outOfRange);
        beyond.setReplyPartition(PARTITIONS);

        sendToOwner(noReply, requests.encode(withoutReply));
        sendToOwner(outOfRange, requests.encode(beyond));

        assertAppendedAfterwardsWithVersionOne(noReply.getStreamId());
    }

    @Test
    void unreadableRequestsAreSkippedAndTheGateGoesOn() {
        StreamAppend append = append("Account-unreadable");
        byte[] framed = requests.encode(request(append));
        byte[] unknownSchemaId = WireFormat.frame(Integer.MAX_VALUE - 7, WireFormat.avro(framed));
        byte[] truncated = Arrays.copyOf(framed, framed.length / 2);

        for (byte[] garbage : List.of(new byte[] {1, 2, 3}, unknownSchemaId, truncated, new byte[0])) {
            sendToOwner(append, garbage);
        }

        assertAppendedAfterwardsWithVersionOne(append.getStreamId());
        assertThat(gate.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /** Sends a well-formed append to the stream after the bad input: it is decided as the stream's first. */
    private static void assertAppendedAfterwardsWithVersionOne(String streamId) {
        StreamAppend next = append(streamId);
        next.setExpectedKind(ExpectedVersionKind.NO_STREAM);
        sendToOwner(next, requests.encode(request(next)));
        AppendResult result = resultOf(next);
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(result.getLastVersion()).isEqualTo(1);
        assertThat(BrokerGate.versionsInLog(stack, topics, streamId)).containsExactly(1L);
    }

    private static void sendToOwner(StreamAppend append, byte[] value) {
        send(AppendProtocol.partitionOf(append.getStreamId(), PARTITIONS), append.getStreamId(), value);
    }

    private static void send(int partition, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topics.appendRequests(), partition, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("sending failed", e);
        }
    }

    private static AppendResult resultOf(StreamAppend append) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : replies.poll(Duration.ofMillis(200))) {
                if (record.key().equals(append.getRequestId())) {
                    return results.decode(record.value());
                }
            }
        }
        throw new AssertionError("no result for " + append.getRequestId());
    }

    private static AppendRequest request(StreamAppend append) {
        return new AppendRequest(AppendProtocol.VERSION, REPLY_PARTITION, Instant.now(), List.of(append));
    }

    private static StreamAppend append(String streamId) {
        return BrokerGate.rawAppend(streamId, ExpectedVersionKind.ANY);
    }
}
