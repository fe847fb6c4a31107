package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class LowPriorityCompactionsTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the threads' nice values from /proc, which only Linux has")
    void aCompactionRunsAtNice19AndTheFlushesKeepTheirPriority(@TempDir Path dir) throws Exception {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(64 * 1024);
             FlushOptions waitForFlush = new FlushOptions().setWaitForFlush(true)) {
            new LowPriorityCompactions().setConfig("stream-versions", options, Map.of());
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
    void theGateNamesItAsItsRocksDbSetterUnlessTheUserGivesTheirOwn() {
        GateConfig defaults = GateConfig.defaults("localhost:9092", "http://localhost:8081");
        assertThat(defaults.toStreamsProperties().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
                .isEqualTo(LowPriorityCompactions.class);

        GateConfig own = defaults.withKafkaProperties(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Tuned"));
        assertThat(own.toStreamsProperties().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo("com.example.Tuned");
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
