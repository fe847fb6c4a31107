package dev.eventstore.bench;

import dev.eventstore.schemas.IndexChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;

/**
 * Measures the index lag: from an append's acknowledgement to the moment a reader of {@code $all} in
 * PostgreSQL sees the event. The reader LISTENs on the channel the indexer notifies at each commit and
 * reads the new events when notified (as the store's read-your-writes wait does), so it sees a batch
 * within a notification's delivery of its commit and reads once per batch. Until 2026-12-02 it polled
 * every 5 ms: 200 queries a second, a cost on the store's run the baseline did not pay. It also splits
 * each append's latency at the moment the gate decided it (the event's {@code recorded_at}: the gate's
 * clock in milliseconds, as Kafka Streams reads it once per batch of records, so early by up to a batch's
 * processing): before it, the request's way to the gate and its wait there; after it, the
 * wait for the gate's transaction to commit and the result's way back.
 */
final class IndexLagProbe implements Workloads.AckListener, AutoCloseable {

    /** How long the reader waits for a notification before it reads anyway (covers a notification it missed). */
    private static final Duration RECHECK = Duration.ofMillis(200);

    /** An acknowledged append, in {@link System#nanoTime()}. */
    private record Acked(long scheduled, long acked) {}

    /** An event seen in the index: when, and when the gate recorded it (both in {@link System#nanoTime()}). */
    private record Seen(long seen, long recorded) {}

    /** Percentiles in nanoseconds: the index lag, and the two parts of each append's latency. */
    record Lags(Percentiles lag, Percentiles toDecided, Percentiles decidedToAck) {}

    /**
     * Appends acknowledged but not yet seen in the index, and events seen but not yet acknowledged, by
     * "stream@version". A match leaves the map for {@link #matched}: the map holds only the appends in flight. Kept
     * whole until the end, the entries (some 250 bytes an append) grew the bench JVM's old generation by 1.25 MB a
     * second at 5,000 appends/s, and G1's concurrent cycles and copying in the gate's JVM were the bench's own.
     */
    private final Map<String, Object> unmatched = new ConcurrentHashMap<>();
    private final Matched matched = new Matched();
    private final AtomicInteger ackedCount = new AtomicInteger();
    private final long originNanos = System.nanoTime();
    private final long originMillis = System.currentTimeMillis();
    private final Connection connection;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile SQLException failure;
    private volatile String acknowledgedTwice;

    IndexLagProbe(String jdbcUrl, String user, String password, String schema) throws SQLException {
        this(jdbcUrl, user, password, schema, RECHECK);
    }

    /** @param recheck how long the reader waits for a notification before it reads anyway */
    IndexLagProbe(String jdbcUrl, String user, String password, String schema, Duration recheck) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
        long from;
        try (Statement statement = connection.createStatement()) {
            // Listening before the first read: whatever commits after it is notified or read.
            statement.execute("LISTEN " + IndexChannel.of(schema));
            try (ResultSet rows = statement.executeQuery("SELECT coalesce(max(global_position), 0) FROM " + schema + ".events")) {
                rows.next();
                from = rows.getLong(1);
            }
        }
        this.reader = new Thread(() -> readOnNotifications(schema, from, recheck), "index-lag-probe");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void acked(String stream, long version, long scheduledNanos, long ackedNanos) {
        ackedCount.incrementAndGet();
        match(stream + "@" + version, new Acked(scheduledNanos, ackedNanos));
    }

    /** Files {@code mine} (an {@link Acked} or a {@link Seen}) under {@code key}, or matches it with the other half there. */
    private void match(String key, Object mine) {
        unmatched.compute(key, (k, other) -> {
            if (other == null) {
                return mine;
            }
            if (other instanceof Acked append && mine instanceof Seen event) {
                matched.add(append, event);
                return null;
            }
            if (other instanceof Seen event && mine instanceof Acked append) {
                matched.add(append, event);
                return null;
            }
            // An event seen twice keeps its first sighting.
            if (other instanceof Seen && mine instanceof Seen) {
                return other;
            }
            // Not thrown here: the caller is an append's completion, which must still count the append as answered.
            acknowledgedTwice = k;
            return other;
        });
    }

    private void readOnNotifications(String schema, long from, Duration recheck) {
        String sql = "SELECT global_position, stream_id, version, (extract(epoch FROM recorded_at) * 1000)::bigint FROM " + schema
                + ".events WHERE global_position > ? ORDER BY global_position LIMIT 20000";
        long position = from;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            PGConnection notifications = connection.unwrap(PGConnection.class);
            while (running) {
                select.setLong(1, position);
                long now = System.nanoTime();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        position = rows.getLong(1);
                        long recorded = originNanos + (rows.getLong(4) - originMillis) * 1_000_000;
                        match(rows.getString(2) + "@" + rows.getLong(3), new Seen(now, recorded));
                    }
                }
                notifications.getNotifications((int) recheck.toMillis());
            }
        } catch (SQLException e) {
            if (running) {
                failure = e;
            }
        }
    }

    /** How many appends wait for their other half: acknowledged and not yet seen, or seen and not yet acknowledged. */
    int unmatched() {
        return unmatched.size();
    }

    /** Waits until every acknowledged event was seen, then the lags (0 where an event was seen first). */
    Lags lags(Duration timeout) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matched.size() < ackedCount.get()) {
            if (failure != null) {
                throw failure;
            }
            if (acknowledgedTwice != null) {
                throw new IllegalStateException("append " + acknowledgedTwice + " acknowledged twice");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((ackedCount.get() - matched.size()) + " acknowledged events not in the index after "
                        + timeout);
            }
            Thread.sleep(10);
        }
        return matched.lags();
    }

    /**
     * Writes each acknowledged append as a CSV line: when it was scheduled (epoch ms), then in ms its wait
     * until the gate decided it, from the decision to the acknowledgement, and the index lag. Call after
     * {@link #lags}, which waits until every append was seen in the index.
     */
    void writeTrace(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("scheduled_epoch_ms,to_decided_ms,decided_to_ack_ms,index_lag_ms");
            matched.forEach((scheduled, toDecided, decidedToAck, lag) -> out.printf(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f%n",
                    originMillis + (scheduled - originNanos) / 1e6, toDecided / 1e6, decidedToAck / 1e6, lag / 1e6));
        }
    }

    /** The matched appends' times in nanoseconds, four primitive columns: no object per append. */
    private static final class Matched {

        interface Row {
            void accept(long scheduled, long toDecided, long decidedToAck, long lag);
        }

        private long[] scheduled = new long[1 << 16];
        private long[] toDecided = new long[1 << 16];
        private long[] decidedToAck = new long[1 << 16];
        private long[] lag = new long[1 << 16];
        private int size;

        synchronized void add(Acked append, Seen event) {
            if (size == scheduled.length) {
                scheduled = Arrays.copyOf(scheduled, size * 2);
                toDecided = Arrays.copyOf(toDecided, size * 2);
                decidedToAck = Arrays.copyOf(decidedToAck, size * 2);
                lag = Arrays.copyOf(lag, size * 2);
            }
            scheduled[size] = append.scheduled();
            toDecided[size] = event.recorded() - append.scheduled();
            decidedToAck[size] = append.acked() - event.recorded();
            lag[size] = event.seen() - append.acked();
            size++;
        }

        synchronized int size() {
            return size;
        }

        /** The percentiles, each part at least 0 (the gate's clock is read in milliseconds, once per batch). */
        synchronized Lags lags() {
            return new Lags(new Percentiles(atLeastZero(lag)), new Percentiles(atLeastZero(toDecided)),
                    new Percentiles(atLeastZero(decidedToAck)));
        }

        synchronized void forEach(Row row) {
            for (int i = 0; i < size; i++) {
                row.accept(scheduled[i], toDecided[i], decidedToAck[i], lag[i]);
            }
        }

        private long[] atLeastZero(long[] column) {
            long[] values = Arrays.copyOf(column, size);
            for (int i = 0; i < size; i++) {
                values[i] = Math.max(0, values[i]);
            }
            return values;
        }
    }

    @Override
    public void close() throws InterruptedException, SQLException {
        running = false;
        connection.close(); // ends a wait for notifications at once
        reader.join(5_000);
    }
}
