package dev.eventstore.writer.gate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * What one segment roll of a dedup window store costs, and where the stream thread spends it (BENCHMARKS.md, "the
 * segment roll taken apart"). Not a test: run by hand with the module's test classpath, e.g.
 * {@code java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.eventstore.writer.gate.SegmentRollProbe 375000 8},
 * where {@code cp.txt} is written by {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 *
 * <p>One window store built by {@link GateTopology#appliedRequestsStore} (a 10-minute window, so five-minute segments), fed
 * {@code entriesPerSegment} request ids per five minutes of stream time: version 7 ids filed under their own time,
 * values shaped like an {@code AppliedRequest}. 375,000 is what one of the gate's four tasks holds at 5,000 appends/s.
 * The first put of each segment is the roll: it opens the new segment's RocksDB instance and closes and deletes the
 * expired one. A sampler thread reads the stream thread's stack every half millisecond during the rolls, so time in
 * system calls shows as well as time on the CPU. The first three rolls are left out: nothing expires before them.
 * An optional third argument names a {@code RocksDBConfigSetter} class to try.
 */
final class SegmentRollProbe {

    /** The gate's default dedup window; Kafka Streams cuts the store into segments of half of it. */
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final long SEGMENT_MS = WINDOW.dividedBy(2).toMillis();

    private final List<Long> rollNanos = new ArrayList<>();
    private final Map<String, Integer> rollStacks = new HashMap<>();
    private volatile boolean sampling;

    public static void main(String[] args) throws Exception {
        int entriesPerSegment = args.length > 0 ? Integer.parseInt(args[0]) : 375_000;
        int rolls = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Class<?> configSetter = args.length > 2 ? Class.forName(args[2]) : GateRocksDbSettings.class;
        new SegmentRollProbe().run(entriesPerSegment, rolls, configSetter);
    }

    private void run(int entriesPerSegment, int rolls, Class<?> configSetter) throws IOException {
        Path stateDir = Files.createTempDirectory("segment-roll");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "segment-roll");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, configSetter);
        Thread streamThread = Thread.currentThread();
        Thread sampler = new Thread(() -> sampleWhileRolling(streamThread), "roll-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Random random = new Random(1);
        long start = System.currentTimeMillis() / SEGMENT_MS * SEGMENT_MS;
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), props)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("requests", new StringSerializer(), new ByteArraySerializer());
            for (int segment = 0; segment < rolls; segment++) {
                if (segment == rolls - 1) {
                    System.out.printf("store on disk before the last roll: %,d bytes%n", bytesUnder(stateDir));
                }
                for (int i = 0; i < entriesPerSegment; i++) {
                    long time = start + segment * SEGMENT_MS + i * (SEGMENT_MS / entriesPerSegment);
                    String id = versionSevenId(time, random);
                    in.pipeInput(id, appliedRequestLike(id, random), time);
                }
            }
        } finally {
            Utils.delete(stateDir.toFile());
        }
        report();
    }

    private Topology topology() {
        Topology topology = new Topology();
        topology.addSource("requests", new StringDeserializer(), new ByteArrayDeserializer(), "requests");
        topology.addProcessor("remember", () -> new Processor<String, byte[], Void, Void>() {
            private WindowStore<String, byte[]> store;
            private long segment = -1;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                store = context.getStateStore("applied");
            }

            @Override
            public void process(Record<String, byte[]> record) {
                boolean roll = record.timestamp() / SEGMENT_MS != segment;
                segment = record.timestamp() / SEGMENT_MS;
                sampling = roll && rollNanos.size() >= 3;
                long began = System.nanoTime();
                store.put(record.key(), record.value(), record.timestamp());
                sampling = false;
                if (roll) {
                    rollNanos.add(System.nanoTime() - began);
                }
            }
        }, "requests");
        topology.addStateStore(Stores.windowStoreBuilder(GateTopology.appliedRequestsStore("applied", WINDOW),
                Serdes.String(), Serdes.ByteArray()), "remember");
        return topology;
    }

    private void sampleWhileRolling(Thread streamThread) {
        while (true) {
            if (sampling) {
                StringBuilder frames = new StringBuilder();
                StackTraceElement[] stack = streamThread.getStackTrace();
                for (int i = 0; i < Math.min(4, stack.length); i++) {
                    String type = stack[i].getClassName();
                    frames.append(type.substring(type.lastIndexOf('.') + 1)).append('.').append(stack[i].getMethodName()).append(" < ");
                }
                if (sampling) {
                    synchronized (rollStacks) {
                        rollStacks.merge(frames.toString(), 1, Integer::sum);
                    }
                }
            }
            try {
                Thread.sleep(0, 500_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void report() {
        List<Long> measured = new ArrayList<>(rollNanos.subList(Math.min(3, rollNanos.size()), rollNanos.size()));
        measured.forEach(nanos -> System.out.printf("roll: %.1f ms%n", nanos / 1e6));
        measured.sort(null);
        if (!measured.isEmpty()) {
            System.out.printf("rolls measured: %d, median %.1f ms%n", measured.size(), measured.get(measured.size() / 2) / 1e6);
        }
        System.out.println("the stream thread's stack during the rolls (samples, top frames):");
        synchronized (rollStacks) {
            rollStacks.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                    .forEach(entry -> System.out.printf("%6d  %s%n", entry.getValue(), entry.getKey()));
        }
    }

    /** A version 7 UUID made at {@code time}, as the client makes request ids. */
    private static String versionSevenId(long time, Random random) {
        long high = time << 16 | 0x7000L | random.nextInt(0x1000);
        long low = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** About the bytes of an AppliedRequest: the id, a stream id, outcome and versions, a time and a 32-byte fingerprint. */
    private static byte[] appliedRequestLike(String requestId, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] id = requestId.getBytes();
        byte[] stream = ("Order-" + random.nextInt(100_000)).getBytes();
        out.write(0);
        out.write(id.length * 2);
        out.writeBytes(id);
        out.write(stream.length * 2);
        out.writeBytes(stream);
        for (int i = 0; i < 6; i++) {
            out.write(random.nextInt(40));
        }
        byte[] timeAndFingerprint = new byte[6 + 2 + 32];
        random.nextBytes(timeAndFingerprint);
        out.writeBytes(timeAndFingerprint);
        return out.toByteArray();
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
