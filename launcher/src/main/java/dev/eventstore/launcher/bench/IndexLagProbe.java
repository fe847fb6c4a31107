package dev.eventstore.launcher.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the index lag: from an append's acknowledgement to the moment a reader polling
 * {@code $all} in PostgreSQL sees the event (polling every 5 ms, which bounds the error).
 */
final class IndexLagProbe implements Workloads.AckListener, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(5);

    private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile SQLException failure;

    IndexLagProbe(String jdbcUrl, String user, String password, String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        long from;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(global_position), 0) FROM " + schema + ".events")) {
            rows.next();
            from = rows.getLong(1);
        }
        this.poller = new Thread(() -> poll(connection, schema, from), "index-lag-probe");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void acked(String stream, long version, long nanos) {
        ackedAt.put(stream + "@" + version, nanos);
    }

    private void poll(Connection connection, String schema, long from) {
        String sql = "SELECT global_position, stream_id, version FROM " + schema
                + ".events WHERE global_position > ? ORDER BY global_position LIMIT 20000";
        long position = from;
        try (connection; PreparedStatement select = connection.prepareStatement(sql)) {
            while (running) {
                select.setLong(1, position);
                long now = System.nanoTime();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        position = rows.getLong(1);
                        seenAt.putIfAbsent(rows.getString(2) + "@" + rows.getLong(3), now);
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every acknowledged event was seen, then the lags in nanoseconds (0 when seen first). */
    Percentiles lags(Duration timeout) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!seenAt.keySet().containsAll(ackedAt.keySet())) {
            if (failure != null) {
                throw failure;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("acknowledged events not in the index after " + timeout);
            }
            Thread.sleep(10);
        }
        long[] lags = ackedAt.entrySet().stream()
                .mapToLong(acked -> Math.max(0, seenAt.get(acked.getKey()) - acked.getValue())).toArray();
        return new Percentiles(lags);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5_000);
    }
}
