package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactionStyle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class GateRocksDbSettingsTest {

    private static final Map<String, Object> TEN_MINUTES = Map.of(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG, 600_000L);

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the threads' nice values from /proc, which only Linux has")
    void aCompactionRunsAtNice19AndTheFlushesKeepTheirPriority(@TempDir Path dir) throws Exception {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(64 * 1024);
             FlushOptions waitForFlush = new FlushOptions().setWaitForFlush(true)) {
            new GateRocksDbSettings().setConfig("stream-versions", options, Map.of());
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                // Four flushed files, then a manual compaction: RocksDB runs it on a thread of its low-priority pool.
                for (int file = 0; file < 4; file++) {
                    for (int key = 0; key < 1_000; key++) {
                        db.put(("Order-" + key).getBytes(StandardCharsets.UTF_8), ("" + file).getBytes(StandardCharsets.UTF_8));
                    }
                    db.flush(waitForFlush);
                }
                db.compactRange();
            }
        }

        assertThat(niceOfThreadsNamed("rocksdb:low")).as("the compaction pool's threads").contains(19);
        assertThat(niceOfThreadsNamed("rocksdb:high")).as("the flush pool's threads").isNotEmpty().doesNotContain(19);
    }

    @Test
    void theGateNamesItAsItsRocksDbSetterAndRunsAUsersOwnInsideIt() {
        GateConfig defaults = GateConfig.defaults("localhost:9092", "http://localhost:8081");
        Properties streams = defaults.toStreamsProperties();
        assertThat(streams.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(GateRocksDbSettings.class);
        assertThat(streams).doesNotContainKey(GateRocksDbSettings.USER_SETTER_CONFIG);
        assertThat(streams.get(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG)).isEqualTo(600_000L);

        Properties own = defaults.withKafkaProperties(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Tuned"))
                .toStreamsProperties();
        assertThat(own.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(GateRocksDbSettings.class);
        assertThat(own.get(GateRocksDbSettings.USER_SETTER_CONFIG)).isEqualTo("com.example.Tuned");

        Properties named = defaults.withKafkaProperties(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                GateRocksDbSettings.class.getName())).toStreamsProperties();
        assertThat(named).as("named by the user, it does not run itself again").doesNotContainKey(GateRocksDbSettings.USER_SETTER_CONFIG);
    }

    @Test
    void aUsersSetterRunsButCannotUndoTheRequestIdsExpiry() {
        Map<String, Object> configs = new HashMap<>(TEN_MINUTES);
        configs.put(GateRocksDbSettings.USER_SETTER_CONFIG, UniversalSmallBuffers.class.getName());
        try (Options requestIds = new Options(); Options versions = new Options()) {
            GateRocksDbSettings forRequestIds = new GateRocksDbSettings();
            GateRocksDbSettings forVersions = new GateRocksDbSettings();
            forRequestIds.setConfig(GateTopology.REQUEST_IDS_STORE, requestIds, configs);
            forVersions.setConfig(GateTopology.VERSIONS_STORE, versions, configs);

            assertThat(requestIds.writeBufferSize()).as("the user's setting").isEqualTo(1 << 20);
            assertThat(requestIds.compactionStyle()).isEqualTo(CompactionStyle.FIFO);
            assertThat(requestIds.ttl()).isEqualTo(660);
            assertThat(versions.writeBufferSize()).isEqualTo(1 << 20);
            assertThat(versions.compactionStyle()).as("the user's setting").isEqualTo(CompactionStyle.UNIVERSAL);
            forRequestIds.close(GateTopology.REQUEST_IDS_STORE, requestIds);
            forVersions.close(GateTopology.VERSIONS_STORE, versions);
        }
        assertThat(UniversalSmallBuffers.closed).as("the user's setter closed with each store").isEqualTo(2);
    }

    @Test
    void theStoreOfRequestIdsNeedsTheDedupWindow() {
        try (Options options = new Options()) {
            assertThatThrownBy(() -> new GateRocksDbSettings().setConfig(GateTopology.REQUEST_IDS_STORE, options, Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG);
        }
    }

    @Test
    void theTimeToLiveIsTheWindowAndATenthInWholeSecondsAndTheChangelogKeepsAsLong() {
        assertThat(RequestIdExpiry.timeToLive(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(660));
        assertThat(RequestIdExpiry.timeToLive(Duration.ofMillis(1_000))).isEqualTo(Duration.ofSeconds(2));
        assertThat(RequestIdExpiry.changelogConfig(Duration.ofMinutes(10))).containsOnly(
                Map.entry("cleanup.policy", "delete"), Map.entry("retention.ms", "660000"), Map.entry("segment.ms", "300000"));
    }

    @Test
    void anIdIsForgottenNoSoonerThanTheTimeToLiveAfterItWasWrittenAndNotMuchLater(@TempDir Path dir) throws Exception {
        // A one-second window: a time to live of 2 s. RocksDB decides expiry in whole seconds, when it picks a compaction
        // (after each flush here): "Order-1" must stay 2 s and go within 2 s more.
        RocksDB.loadLibrary();
        GateRocksDbSettings settings = new GateRocksDbSettings();
        try (Options options = new Options().setCreateIfMissing(true);
             FlushOptions waitForFlush = new FlushOptions().setWaitForFlush(true)) {
            settings.setConfig(GateTopology.REQUEST_IDS_STORE, options, Map.of(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG, 1_000L));
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                long written = System.nanoTime();
                db.put(bytes("Order-1"), bytes("applied"));
                db.flush(waitForFlush);
                long forgottenAfter = -1;
                String youngest = null;
                for (int step = 1; forgottenAfter < 0 && step <= 40; step++) {
                    Thread.sleep(100);
                    youngest = "Order-other-" + step;
                    db.put(bytes(youngest), bytes("applied"));
                    db.flush(waitForFlush);
                    Thread.sleep(20); // the background thread's deletion
                    if (db.get(bytes("Order-1")) == null) {
                        forgottenAfter = (System.nanoTime() - written) / 1_000_000;
                    }
                }
                assertThat(forgottenAfter).as("ms until forgotten").isBetween(2_000L, 4_000L);
                assertThat(db.get(bytes(youngest))).as("a younger id").isNotNull();
            }
        } finally {
            settings.close(GateTopology.REQUEST_IDS_STORE, null);
        }
    }

    /** A user's setter, as Kafka Streams makes them: by name, one per store. */
    public static final class UniversalSmallBuffers implements RocksDBConfigSetter {
        static int closed;

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            options.setWriteBufferSize(1 << 20);
            options.setCompactionStyle(CompactionStyle.UNIVERSAL);
        }

        @Override
        public void close(String storeName, Options options) {
            closed++;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Integer> niceOfThreadsNamed(String name) throws IOException {
        List<Integer> nices = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        String stat = Files.readString(task.resolve("stat"));
                        // After "(comm) ": state is field 3 of proc(5), nice field 19.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        nices.add(Integer.parseInt(fields[19 - 3]));
                    }
                } catch (IOException ended) {
                    // The thread ended while listed.
                }
            }
        }
        return nices;
    }
}
