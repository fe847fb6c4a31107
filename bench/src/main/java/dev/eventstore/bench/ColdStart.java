package dev.eventstore.bench;

import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.lang.management.ManagementFactory;
import java.sql.DriverManager;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A new JVM's first two appends, as an application makes them once it has started: to the store through a new
 * {@link AppendClient}, or to the baseline through a new JDBC connection, each payload encoded with the registry. What
 * the warmed-up rows never show is paid here: class loading, the clients' connections and metadata, the schema
 * lookups, code not yet compiled. Run by {@link ColdStartRun} in a JVM of its own, against a running bench; prints one
 * line, {@value #LINE} and the times ({@link Times}) in milliseconds.
 *
 * <p>Arguments: {@code store <bootstrap servers> <registry url>} or {@code baseline <jdbc url> <user> <password> <registry url>}.
 */
public final class ColdStart {

    static final String LINE = "cold-start";

    private ColdStart() {}

    /**
     * @param startedMs from the JVM's start to {@code main}
     * @param openMs opening the client (the store's) or the connection (the baseline's)
     * @param firstMs the first append, from its call to its acknowledgement
     * @param secondMs the second append to the same stream
     */
    record Times(double startedMs, double openMs, double firstMs, double secondMs) {

        /** From the JVM's start to the first append acknowledged. */
        double toFirstAppendMs() {
            return startedMs + openMs + firstMs;
        }

        String line() {
            return String.format(Locale.ROOT, "%s %.1f %.1f %.1f %.1f", LINE, startedMs, openMs, firstMs, secondMs);
        }

        static Times parse(String line) {
            String[] fields = line.trim().split(" ");
            if (fields.length != 5 || !fields[0].equals(LINE)) {
                throw new IllegalArgumentException("not a cold-start line: " + line);
            }
            return new Times(Double.parseDouble(fields[1]), Double.parseDouble(fields[2]), Double.parseDouble(fields[3]),
                    Double.parseDouble(fields[4]));
        }
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        double startedMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String stream = "Cold-" + UUID.randomUUID();
        Times times = switch (args[0]) {
            case "store" -> store(args[1], args[2], stream, startedMs, main);
            case "baseline" -> baseline(args[1], args[2], args[3], args[4], stream, startedMs, main);
            default -> throw new IllegalArgumentException("store or baseline, not " + args[0]);
        };
        System.out.println(times.line());
    }

    private static Times store(String bootstrapServers, String registryUrl, String stream, double startedMs, long main) {
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(bootstrapServers, registryUrl))) {
            long opened = System.nanoTime();
            client.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new MoneyDeposited(stream, 1L)))).join();
            long first = System.nanoTime();
            client.append(stream, ExpectedVersion.exactly(1), List.of(NewEvent.of(new MoneyDeposited(stream, 2L)))).join();
            long second = System.nanoTime();
            return new Times(startedMs, millis(main, opened), millis(opened, first), millis(first, second));
        }
    }

    private static Times baseline(String jdbcUrl, String user, String password, String registryUrl, String stream, double startedMs,
                                  long main) throws Exception {
        EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(registryUrl)), StoreTopics.defaults().events(), true);
        try (var connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            BaselineAppender appender = new BaselineAppender(connection);
            long opened = System.nanoTime();
            appender.append(stream, BenchTarget.NO_STREAM, new byte[][] {codec.encode(new MoneyDeposited(stream, 1L))});
            long first = System.nanoTime();
            appender.append(stream, 1, new byte[][] {codec.encode(new MoneyDeposited(stream, 2L))});
            long second = System.nanoTime();
            return new Times(startedMs, millis(main, opened), millis(opened, first), millis(first, second));
        }
    }

    private static double millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
