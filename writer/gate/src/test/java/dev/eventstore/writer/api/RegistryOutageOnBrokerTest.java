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
import dev.eventstore.writer.gate.GateConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate asks the registry for a request schema only the first time it meets its id (a newer client's, another
 * language's). If the registry is away just then, the gate must wait for it rather than stop: here the gate's own
 * way to the registry is cut while a request framed with a schema id new to it arrives, and restored later.
 */
class RegistryOutageOnBrokerTest {

    private static final int PARTITIONS = 4;
    private static final int REPLY_PARTITION = 1;

    @TempDir
    Path stateDir;

    @Test
    void aRequestOfANewSchemaIdArrivingWhileTheRegistryIsAwayIsDecidedOnceItIsBackAndTheGateKeepsRunning() throws Exception {
        LocalStack stack = LocalStack.shared();
        StoreTopics topics = new StoreTopics("regout" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        BrokerGate.provision(stack, topics);
        URI registryUrl = URI.create(stack.schemaRegistryUrl());
        try (TcpRelay relay = new TcpRelay(registryUrl.getHost(), registryUrl.getPort());
             Gate gate = Gate.start(GateConfig.defaults(stack.bootstrapServers(),
                             stack.schemaRegistryUrl().replace(":" + registryUrl.getPort() + "/", ":" + relay.port() + "/"))
                     .withTopics(topics).withApplicationId(topics.prefix() + "-gate").withStateDir(stateDir),
                     Duration.ofSeconds(60));
             KafkaProducer<String, byte[]> producer = producer(stack);
             KafkaConsumer<String, byte[]> replies = replies(stack, topics);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
            Schema newer = withOptionalField(AppendRequest.getClassSchema());
            int newerId = registry.register(AppendProtocol.requestsSubject(topics), newer);
            StreamAppend append = append("Account-registry-outage");

            String group = topics.prefix() + "-gate";
            Set<String> firstMembers = memberClientIds(admin, group);
            relay.cut();
            producer.send(new ProducerRecord<>(topics.appendRequests(),
                    AppendProtocol.partitionOf(append.getStreamId(), PARTITIONS), append.getStreamId(),
                    WireFormat.frame(newerId, encodeAs(newer, request(append))))).get();
            // The thread that met the request failed and was replaced. Its member must leave the group at once:
            // the replacement's rebalance waits for every member, and a static one stays until its session times
            // out (10 s) unless removed.
            Duration lingered = deadMemberLingered(admin, group, firstMembers);
            System.out.printf("the replaced thread's member left the group %d ms after its replacement joined%n", lingered.toMillis());
            assertThat(lingered)
                    .as("how long the replaced thread's member stayed in the group after its replacement joined")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(resultOf(replies, registry, topics, append, Duration.ofSeconds(8)))
                    .as("no decision while the gate cannot read the request").isNull();
            assertThat(gate.stopped()).as("the gate keeps running while the registry is away").isNotDone();

            relay.restore();
            AppendResult result = resultOf(replies, registry, topics, append, Duration.ofSeconds(60));
            assertThat(result).as("decided once the registry is back").isNotNull();
            assertThat(result.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
            assertThat(BrokerGate.versionsInLog(stack, topics, append.getStreamId())).containsExactly(1L);
            assertThat(gate.stopped()).isNotDone();
        }
    }

    /**
     * Waits until a member other than {@code first} joins the group (the replacement thread's), then until every
     * one of {@code first} has left it; returns the time between.
     */
    private static Duration deadMemberLingered(Admin admin, String group, Set<String> first) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long replacementJoined = 0;
        while (true) {
            Set<String> members = memberClientIds(admin, group);
            if (replacementJoined == 0 && !first.containsAll(members)) {
                replacementJoined = System.nanoTime();
            }
            if (replacementJoined != 0 && Collections.disjoint(members, first)) {
                return Duration.ofNanos(System.nanoTime() - replacementJoined);
            }
            assertThat(System.nanoTime()).as("the thread replaced and its member gone within 60 s; members now %s", members)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Set<String> memberClientIds(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().stream()
                .map(MemberDescription::clientId).collect(Collectors.toSet());
    }

    /** The request schema as a newer client might write it: one more field, with a default (compatible both ways). */
    private static Schema withOptionalField(Schema schema) {
        String json = schema.toString();
        String added = "{\"name\":\"clientNote\",\"type\":\"string\",\"default\":\"\"}";
        int fieldsEnd = json.lastIndexOf("]");
        return new Schema.Parser().parse(json.substring(0, fieldsEnd) + "," + added + json.substring(fieldsEnd));
    }

    private static byte[] encodeAs(Schema writer, AppendRequest request) throws IOException {
        ByteBuffer current = request.toByteBuffer(); // single-object encoding: 10 header bytes, then the binary form
        byte[] body = new byte[current.remaining() - 10];
        current.position(current.position() + 10).get(body);
        GenericRecord record = new GenericDatumReader<GenericRecord>(AppendRequest.getClassSchema(), writer)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        record.put("clientNote", "written by a newer client");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static AppendResult resultOf(KafkaConsumer<String, byte[]> replies, SchemaRegistryClient registry,
                                         StoreTopics topics, StreamAppend append, Duration wait) {
        StoreRecordCodec<AppendResult> results = AppendProtocol.results(registry, topics);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : replies.poll(Duration.ofMillis(200))) {
                if (record.key().equals(append.getRequestId())) {
                    return results.decode(record.value());
                }
            }
        }
        return null;
    }

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> replies(LocalStack stack, StoreTopics topics) {
        KafkaConsumer<String, byte[]> replies = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topics.appendResults(), REPLY_PARTITION);
        replies.assign(List.of(partition));
        replies.seekToBeginning(List.of(partition));
        return replies;
    }

    private static AppendRequest request(StreamAppend append) {
        return new AppendRequest(AppendProtocol.VERSION, REPLY_PARTITION, Instant.now(), List.of(append));
    }

    private static StreamAppend append(String streamId) {
        return BrokerGate.rawAppend(streamId, ExpectedVersionKind.NO_STREAM);
    }
}
