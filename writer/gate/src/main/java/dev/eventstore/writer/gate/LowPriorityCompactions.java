package dev.eventstore.writer.gate;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;
import org.rocksdb.Priority;

/**
 * Runs the gate's RocksDB compactions at the lowest CPU priority (nice 19), so that they use the CPU the gate,
 * the broker and the index leave idle instead of taking it from them. A compaction of the applied request ids
 * merges sorted runs of a hundred megabytes: on two cores, at a steady 5,000 appends/s, it took 0.6–0.9 of a
 * core for two seconds, the stream thread's share fell from 0.3 to 0.1–0.2 of a core, and appends waited up to
 * 680 ms to be decided, against 40–60 ms either side of it (BENCHMARKS.md). Compactions still run whenever a
 * core is idle, and RocksDB slows writes by itself if they fall behind; flushes of the memtables keep their
 * priority.
 *
 * <p>Kafka Streams instantiates this class by name ({@code rocksdb.config.setter}); a user's own setter, given
 * in the gate's Kafka properties, replaces it.
 */
public final class LowPriorityCompactions implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        // The pool belongs to the process's default environment, shared by every store: lowering it again is a no-op.
        options.getEnv().lowerThreadPoolCPUPriority(Priority.LOW);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was allocated.
    }
}
