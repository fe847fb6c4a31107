package dev.eventstore.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.schemas.registry.EventCodec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The classic PostgreSQL event store the store is measured against, on the same PostgreSQL server, in
 * its strongest plain form (as a PostgreSQL event-store template has it): one events table with
 * {@code global_position bigserial} and {@code UNIQUE (stream_id, version)}, and each append one
 * statement that inserts the events after the stream's head when the head is the expected version; the
 * unique constraint refuses the second of two racing appends (see {@link BaselineAppender}). Until
 * 2026-12-03 each append was a transaction of four statements that locked a row of a streams table;
 * that baseline made 2.7–3.5k appends/s in W1 where the template made 4.8k. Appends run on a pool of
 * threads, each with its own connection; reads borrow from a connection pool, as the store's reader does.
 */
final class PostgresBaseline implements BenchTarget {

    static final String SCHEMA = "bench_baseline";
    /** The append connections: the fastest of 2, 4, 8 and 16 in W1 on this box (BENCHMARKS.md). */
    static final int DEFAULT_CONNECTIONS = 8;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EventCodec codec;
    private final ExecutorService pool;
    private final ThreadLocal<BaselineAppender> appender;
    private final List<BaselineAppender> opened = new ArrayList<>();
    private final HikariDataSource reads;

    PostgresBaseline(String jdbcUrl, String user, String password, EventCodec codec, int connections) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.codec = codec;
        this.pool = Executors.newFixedThreadPool(connections);
        this.appender = ThreadLocal.withInitial(this::open);
        this.reads = readPool(jdbcUrl, user, password);
        createTables();
    }

    private static HikariDataSource readPool(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-baseline-reads");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setReadOnly(true);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    @Override
    public String name() {
        return "postgres baseline";
    }

    private void createTables() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".events (global_position bigserial PRIMARY KEY, stream_id text NOT NULL,"
                    + " version bigint NOT NULL, event_type text NOT NULL, event_id uuid NOT NULL UNIQUE, payload bytea NOT NULL,"
                    + " metadata jsonb NOT NULL DEFAULT '{}', recorded_at timestamptz NOT NULL DEFAULT now(),"
                    + " CONSTRAINT " + BaselineAppender.STREAM_VERSION_CONSTRAINT + " UNIQUE (stream_id, version))");
        }
    }

    private synchronized BaselineAppender open() {
        try {
            BaselineAppender opening = new BaselineAppender(DriverManager.getConnection(jdbcUrl, user, password));
            opened.add(opening);
            return opening;
        } catch (SQLException e) {
            throw new IllegalStateException("baseline connection failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Long> append(String stream, long expectedVersion, int events) {
        // Encoded on the caller's thread, as the store's client does.
        byte[][] payloads = new byte[events][];
        for (int i = 0; i < events; i++) {
            payloads[i] = codec.encode(new MoneyDeposited(stream, 100L + i));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return appender.get().append(stream, expectedVersion, payloads);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    @Override
    public List<Long> readStream(String stream) {
        String sql = "SELECT version, event_type, event_id, payload, metadata::text, recorded_at FROM " + SCHEMA
                + ".events WHERE stream_id = ? ORDER BY version";
        try (Connection c = reads.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, stream);
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), UUID.fromString(r.getString(3)), r.getBytes(4),
                            r.getString(5), r.getTimestamp(6).toInstant()));
                }
            }
            return rows.stream().map(Row::version).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Row(long version, String type, UUID eventId, byte[] payload, String metadata, java.time.Instant recordedAt) {}

    @Override
    public void awaitReadable(String stream, long version) {
        // Reads and writes are the same tables: an acknowledged append is readable at once.
    }

    @Override
    public CaughtUp catchUp(long total) throws SQLException {
        String sql = "SELECT global_position, stream_id, version, event_type, payload FROM " + SCHEMA
                + ".events WHERE global_position > ? ORDER BY global_position LIMIT 5000";
        long seen = 0;
        long position = 0;
        long firstEventNanos = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); PreparedStatement select = c.prepareStatement(sql)) {
            while (seen < total) {
                select.setLong(1, position);
                int page = 0;
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        position = r.getLong(1);
                        r.getString(2);
                        r.getBytes(5);
                        page++;
                    }
                }
                if (page == 0) {
                    throw new IllegalStateException("the baseline holds " + seen + " events, not " + total);
                }
                if (seen == 0) {
                    firstEventNanos = System.nanoTime();
                }
                seen += page;
            }
            return new CaughtUp(seen, firstEventNanos, System.nanoTime());
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        reads.close();
        synchronized (this) {
            for (BaselineAppender c : opened) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
