package dev.eventstore.reader.query;

import dev.eventstore.schemas.IndexChannel;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.Pause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes readers waiting for a stream to reach a version in the index. One thread LISTENs on the
 * channel the indexer notifies at each commit and, per notification, checks every awaited stream in
 * one query, however many readers wait. Rechecks every second as well, which covers a notification
 * lost while the connection was down.
 */
final class IndexWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IndexWatch.class);
    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private record Waiter(long version, CompletableFuture<Long> reached) {}

    private final IndexDatabase database;
    private final Duration recheck;
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private Thread thread;
    private volatile Connection listening;
    private volatile boolean closed;

    IndexWatch(IndexDatabase database, Duration recheck) {
        this.database = database;
        this.recheck = recheck;
    }

    /** Completes with the stream's indexed version once it is at least {@code version}. */
    synchronized CompletableFuture<Long> await(String streamId, long version) {
        if (closed) {
            throw new IllegalStateException("the reader is closed");
        }
        if (thread == null) {
            thread = new Thread(this::watch, "index-watch-" + database.schema());
            thread.setDaemon(true);
            thread.start();
        }
        Waiter waiter = new Waiter(version, new CompletableFuture<>());
        waiters.computeIfAbsent(streamId, s -> new ArrayList<>()).add(waiter);
        waiter.reached().whenComplete((v, e) -> forget(streamId, waiter));
        return waiter.reached();
    }

    private synchronized void forget(String streamId, Waiter waiter) {
        List<Waiter> ofStream = waiters.get(streamId);
        if (ofStream != null && ofStream.remove(waiter) && ofStream.isEmpty()) {
            waiters.remove(streamId);
        }
    }

    private synchronized Map<String, List<Waiter>> snapshot() {
        Map<String, List<Waiter>> copy = new HashMap<>();
        waiters.forEach((stream, list) -> copy.put(stream, List.copyOf(list)));
        return copy;
    }

    private void watch() {
        Connection connection = null;
        while (!closed) {
            try {
                if (connection == null) {
                    connection = listen();
                    listening = connection;
                } else {
                    // Returns on the first notification or after the recheck interval.
                    connection.unwrap(PGConnection.class).getNotifications((int) Math.min(Integer.MAX_VALUE, recheck.toMillis()));
                }
                check(connection);
            } catch (SQLException e) {
                if (!closed) {
                    log.warn("Index watch on {} lost its connection, reconnecting in {} ms: {}", database.schema(),
                            RECONNECT.toMillis(), e.getMessage());
                }
                closeQuietly(connection);
                connection = null;
                Pause.sleep(RECONNECT);
            }
        }
        closeQuietly(connection);
    }

    private Connection listen() throws SQLException {
        Connection connection = database.connect();
        connection.setReadOnly(true); // the index belongs to the indexer
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + IndexChannel.of(database.schema()));
        }
        return connection;
    }

    private void check(Connection connection) throws SQLException {
        Map<String, List<Waiter>> awaited = snapshot();
        if (awaited.isEmpty()) {
            return;
        }
        String sql = "SELECT stream_id, version FROM " + database.table("streams") + " WHERE stream_id = ANY(?)";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("text", awaited.keySet().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long indexed = rows.getLong(2);
                    for (Waiter waiter : awaited.get(rows.getString(1))) {
                        if (indexed >= waiter.version()) {
                            waiter.reached().complete(indexed);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            abort(listening);
            try {
                running.join(RECONNECT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Unblocks a thread waiting for notifications on the connection. */
    private static void abort(Connection connection) {
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
