package dev.eventstore.writer.gate;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.rocksdb.CompactionOptionsFIFO;
import org.rocksdb.CompactionStyle;
import org.rocksdb.Options;

/**
 * How the gate's store of request ids ({@link GateTopology#REQUEST_IDS_STORE}, a key-value store: one point lookup
 * per append, whatever the id) forgets them.
 *
 * <p><b>Locally: RocksDB's first-in, first-out compaction with a time to live.</b> Every file the store flushes stays
 * as it is written, and RocksDB's background thread deletes a whole file once its newest entry is older than the
 * time to live: an id lives at least that long after the gate wrote it, and is never rewritten by a compaction. The
 * stores this replaces were Kafka Streams window stores, cut into segments of half the window, each a RocksDB
 * instance: at every five-minute mark the stream thread closed the expired instance (flushing a memtable about to be
 * deleted), deleted its files and opened a new one, 30–50 ms per store and task while appends waited, and the
 * segments' own compactions took most of a core for seconds (BENCHMARKS.md, "the segment roll taken apart").
 *
 * <p><b>In the changelog: deletion by time.</b> The changelog keeps what the time to live keeps, in segments of half
 * the window, so that a task restoring the store reads about a window and a half of ids, not the days a compacted
 * topic of unique keys would hold.
 *
 * <p>The time to live is the window and a tenth of it more, in whole seconds: the window counts from the request's
 * time, the expiry from the gate's clock when it wrote the id, and a retry may wait behind a backlog.
 */
final class RequestIdExpiry implements AutoCloseable {

    private final Duration timeToLive;
    private CompactionOptionsFIFO fifo;

    RequestIdExpiry(long dedupWindowMs) {
        this.timeToLive = timeToLive(Duration.ofMillis(dedupWindowMs));
    }

    static Duration timeToLive(Duration window) {
        long millis = window.plus(window.dividedBy(10)).toMillis();
        return Duration.ofSeconds((millis + 999) / 1000);
    }

    /** Settings of the store's changelog topic, beside those Kafka Streams gives every changelog. */
    static Map<String, String> changelogConfig(Duration window) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(timeToLive(window).toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(window.dividedBy(2).toMillis(), 1)));
    }

    void configure(Options options) {
        // Nothing is deleted for size: only the time to live decides, however many ids a window holds.
        fifo = new CompactionOptionsFIFO().setMaxTableFilesSize(Long.MAX_VALUE).setAllowCompaction(false);
        options.setCompactionStyle(CompactionStyle.FIFO);
        options.setCompactionOptionsFIFO(fifo);
        options.setTtl(timeToLive.toSeconds());
        // Every file is in level 0, which is also the last level: keep its Bloom filters, or a lookup of a new id
        // (most of them) would read an index block of every file.
        options.setOptimizeFiltersForHits(false);
    }

    @Override
    public void close() {
        if (fifo != null) {
            fifo.close();
        }
    }
}
