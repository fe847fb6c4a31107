package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.registry.WireFormat;
import dev.eventstore.writer.gate.GateTopology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The gate's topology in {@link TopologyTestDriver}, behind the client's own encoding and result
 * mapping. Appends are decided one at a time (the driver is single-threaded), as on one partition.
 */
final class TopologyDriverGate implements GateUnderTest, AutoCloseable {

    private static final StoreTopics TOPICS = StoreTopics.defaults();
    private static final SchemaRegistryClient REGISTRY =
            new SchemaRegistryClient(SchemaRegistryConfig.of(LocalStack.shared().schemaRegistryUrl()));
    private static final StoreRecordCodec<dev.eventstore.schemas.store.AppendRequest> REQUESTS = AppendProtocol.requests(REGISTRY, TOPICS);
    private static final StoreRecordCodec<dev.eventstore.schemas.store.AppendResult> RESULTS = AppendProtocol.results(REGISTRY, TOPICS);

    private final AppendLimits limits = AppendLimits.defaults();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> requests;
    private final TestOutputTopic<String, byte[]> events;
    private final TestOutputTopic<String, byte[]> results;
    private final List<TestRecord<String, byte[]>> log = new ArrayList<>();

    TopologyDriverGate(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gate-contract");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(GateTopology.build(TOPICS, limits, Duration.ofMinutes(10), REGISTRY), props);
        requests = driver.createInputTopic(TOPICS.appendRequests(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(TOPICS.events(), new StringDeserializer(), new ByteArrayDeserializer());
        results = driver.createOutputTopic(TOPICS.appendResults(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized CompletableFuture<AppendResult> append(String streamId, ExpectedVersion expected, List<NewEvent> newEvents,
                                                               AppendOptions options) {
        PendingAppend pending = new PendingAppend(streamId, expected, options, options.requestIdOfCall(), Duration.ZERO);
        byte[] request;
        try {
            request = AppendEncoding.toRequest(AppendEncoding.toStreamAppend(streamId, expected, newEvents, options,
                    pending.requestId, TopologyDriverGate::payload, limits), 0, limits, REQUESTS);
        } catch (InvalidAppendException e) {
            pending.fail(e);
            return pending.future;
        }
        send(streamId, request, pending);
        return pending.future;
    }

    private void send(String streamId, byte[] request, PendingAppend pending) {
        requests.pipeInput(streamId, request);
        log.addAll(events.readRecordsToList());
        for (TestRecord<String, byte[]> result : results.readRecordsToList()) {
            if (result.key().equals(pending.requestId)) {
                pending.complete(RESULTS.decode(result.value()));
            }
        }
    }

    @Override
    public synchronized CompletableFuture<StreamChangeResult> change(String streamId, ExpectedVersion expected,
            dev.eventstore.schemas.store.StreamChange change, AppendOptions options) {
        PendingAppend pending = new PendingAppend(streamId, expected, options, options.requestIdOfCall(), Duration.ZERO);
        pending.truncateBefore = change.getTruncateBefore();
        byte[] request;
        try {
            request = AppendEncoding.toRequest(StreamChangeEncoding.toStreamAppend(streamId, expected, change, options,
                    pending.requestId, limits), 0, limits, REQUESTS);
        } catch (InvalidAppendException e) {
            pending.fail(e);
            return pending.future.thenApply(StreamChangeResult::of);
        }
        send(streamId, request, pending);
        return pending.future.thenApply(StreamChangeResult::of);
    }

    @Override
    public synchronized List<String> typesInLog(String streamId, int expectedCount) {
        log.addAll(events.readRecordsToList());
        return log.stream().filter(record -> record.key().equals(streamId))
                .map(record -> EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.TYPE)).toList();
    }

    @Override
    public synchronized List<Long> versionsInLog(String streamId, int expectedCount) {
        log.addAll(events.readRecordsToList());
        return log.stream().filter(record -> record.key().equals(streamId))
                .map(record -> Long.parseLong(EnvelopeHeaders.require(record.headers(), EnvelopeHeaders.VERSION)))
                .toList();
    }

    /** The data framed as if its schema had id 1: the gate only checks the framing. */
    private static byte[] payload(NewEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<Object>(event.data().getSchema()).write(event.data(), encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return WireFormat.frame(1, out.toByteArray());
    }

    @Override
    public void close() {
        driver.close();
    }
}
