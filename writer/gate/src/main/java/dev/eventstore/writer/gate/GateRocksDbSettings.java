package dev.eventstore.writer.gate;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;
import org.rocksdb.Priority;

/**
 * The gate's RocksDB settings, which Kafka Streams applies to each store as it opens it ({@code rocksdb.config.setter}):
 * <ul>
 *   <li><b>Compactions run at the lowest CPU priority</b> (nice 19), so that they use the CPU the gate, the broker and
 *       the index leave idle instead of taking it from them. A compaction of the applied request ids merged sorted runs
 *       of a hundred megabytes: on two cores, at a steady 5,000 appends/s, it took 0.6–0.9 of a core for two seconds,
 *       the stream thread's share fell from 0.3 to 0.1–0.2 of a core, and appends waited up to 680 ms to be decided,
 *       against 40–60 ms either side of it (BENCHMARKS.md). Compactions still run whenever a core is idle, and RocksDB
 *       slows writes by itself if they fall behind; flushes of the memtables keep their priority.</li>
 *   <li><b>The request ids expire file by file</b> ({@link RequestIdExpiry}), in RocksDB's background threads.</li>
 * </ul>
 * A setter of the user's own, given as {@code rocksdb.config.setter} in the gate's Kafka properties, runs as well,
 * after the priority and before the request ids' expiry, which it cannot undo: without it the gate would never forget
 * a request id.
 */
public final class GateRocksDbSettings implements RocksDBConfigSetter {

    /** Where the gate hands Kafka Streams the user's own setter, which {@code rocksdb.config.setter} names no more. */
    static final String USER_SETTER_CONFIG = "eventstore.gate.rocksdb.user.config.setter";
    /** Where the gate hands Kafka Streams its dedup window, in milliseconds, for the request ids' expiry. */
    static final String DEDUP_WINDOW_MS_CONFIG = "eventstore.gate.dedup.window.ms";

    private RocksDBConfigSetter userSetter;
    private RequestIdExpiry expiry;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        // The pool belongs to the process's default environment, shared by every store: lowering it again is a no-op.
        options.getEnv().lowerThreadPoolCPUPriority(Priority.LOW);
        Object userSetterClass = configs.get(USER_SETTER_CONFIG);
        if (userSetterClass != null) {
            userSetter = newSetter(userSetterClass);
            userSetter.setConfig(storeName, options, configs);
        }
        if (storeName.equals(GateTopology.REQUEST_IDS_STORE)) {
            expiry = new RequestIdExpiry(dedupWindowMs(configs));
            expiry.configure(options);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        if (userSetter != null) {
            userSetter.close(storeName, options);
        }
        if (expiry != null) {
            expiry.close();
        }
    }

    /** Whether a {@code rocksdb.config.setter} value names this class (which must not run itself as the user's). */
    static boolean isItself(Object setterClass) {
        return setterClass == GateRocksDbSettings.class || GateRocksDbSettings.class.getName().equals(setterClass.toString());
    }

    private static RocksDBConfigSetter newSetter(Object setterClass) {
        try {
            return setterClass instanceof Class<?> type
                    ? Utils.newInstance(type.asSubclass(RocksDBConfigSetter.class))
                    : Utils.newInstance(setterClass.toString(), RocksDBConfigSetter.class);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ConfigException("rocksdb.config.setter", setterClass, "not a RocksDBConfigSetter on the class path: " + e);
        }
    }

    private static long dedupWindowMs(Map<String, Object> configs) {
        Object window = configs.get(DEDUP_WINDOW_MS_CONFIG);
        if (window == null) {
            throw new ConfigException(DEDUP_WINDOW_MS_CONFIG + " is not set: the gate sets it from its dedup window,"
                    + " so that its store of request ids forgets them after it");
        }
        return Long.parseLong(window.toString());
    }
}
