package dev.eventstore.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded local stack: a real Kafka broker (KRaft), a real PostgreSQL and a real schema registry
 * speaking the Confluent REST API, each on a local port, started in parallel. Nothing to install but a
 * JDK and Maven. PostgreSQL runs with fsync off and the broker is a single node by default: fine for
 * development, tests and the demo, not the durability of a production cluster; with
 * {@link LocalStackOptions#withBrokers(int) three brokers} Kafka is a replicated KRaft cluster.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final int TEMPORARY_START_ATTEMPTS = 3;
    private static LocalStack shared;

    private final Path dataDir;
    private final boolean temporary;
    private final KafkaServer kafka;
    private final LocalPostgres postgres;
    private final LocalRegistry registry;
    private boolean closed;

    private LocalStack(Path dataDir, boolean temporary, KafkaServer kafka, LocalPostgres postgres, LocalRegistry registry) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
    }

    /**
     * Starts the three servers and waits until each answers.
     *
     * @throws LocalStackException saying which part failed; whatever had started is stopped
     */
    public static LocalStack start(LocalStackOptions options) {
        if (options.dataDir().isPresent()) {
            return start(options, options.dataDir().get().toAbsolutePath(), false);
        }
        // A temporary stack's ports are free when picked, but a server binds them a few seconds later, and an
        // outgoing connection of this or another process can take one in between (the ephemeral range is the
        // one free ports come from): such a stack starts again in a new directory, on other ports.
        for (int attempt = 1; ; attempt++) {
            Path dataDir = temporaryDirectory().toAbsolutePath();
            try {
                return start(options, dataDir, true);
            } catch (LocalStackException e) {
                deleteRecursively(dataDir);
                if (attempt == TEMPORARY_START_ATTEMPTS) {
                    throw e;
                }
                log.warn("The local stack did not start ({}); starting it again on other ports", e.getMessage());
            }
        }
    }

    private static LocalStack start(LocalStackOptions options, Path dataDir, boolean temporary) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new LocalStackException("cannot create the data directory " + dataDir, e);
        }
        StackPorts ports = StackPorts.load(dataDir, options.brokers());
        CompletableFuture<KafkaServer> kafka = CompletableFuture.supplyAsync(() -> options.kafkaInContainer() ? ContainerKafka.start()
                : KafkaCluster.started(dataDir.resolve("kafka"), ports));
        CompletableFuture<LocalPostgres> postgres =
                CompletableFuture.supplyAsync(() -> LocalPostgres.start(dataDir.resolve("postgres"), ports.postgres()));
        CompletableFuture<LocalRegistry> registry = CompletableFuture.supplyAsync(() -> LocalRegistry.start(ports.registry(),
                temporary ? Optional.empty() : Optional.of(dataDir.resolve("registry")), dataDir.resolve("registry.log")));
        try {
            CompletableFuture.allOf(kafka, postgres, registry).join();
        } catch (CompletionException e) {
            // Waits for the parts still starting, so that nothing runs on in a directory about to be removed.
            stopOnceSettled(kafka, KafkaServer::stop);
            stopOnceSettled(postgres, LocalPostgres::close);
            stopOnceSettled(registry, LocalRegistry::close);
            Throwable cause = e.getCause();
            throw cause instanceof LocalStackException failure ? failure
                    : new LocalStackException("the local stack did not start: " + cause, cause);
        }
        LocalStack stack = new LocalStack(dataDir, temporary, kafka.join(), postgres.join(), registry.join());
        log.info("Local stack up in {} ms: kafka {}, postgres {}, registry {}", (System.nanoTime() - started) / 1_000_000,
                stack.bootstrapServers(), stack.jdbcUrl(), stack.schemaRegistryUrl());
        return stack;
    }

    /**
     * One stack per JVM, started on first use and stopped when the JVM exits; for tests. Its Kafka is the
     * embedded broker unless {@code EVENTSTORE_TEST_KAFKA=testcontainers} asks for a container.
     */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            shared = start(LocalStackOptions.fromEnvironment());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-stack-shutdown"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String jdbcUser() {
        return LocalPostgres.USER;
    }

    public String jdbcPassword() {
        return "";
    }

    /** A new connection to the stack's database, as {@link #jdbcUser()}: the caller closes it. */
    public Connection connectToDatabase() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), jdbcUser(), jdbcPassword());
    }

    /** The base URL of the registry's Confluent-compatible REST API. */
    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** The embedded single broker, to stop, kill and restart it; not available when Kafka runs in a container. */
    public KafkaBroker broker() {
        KafkaCluster cluster = cluster();
        if (cluster.size() != 1) {
            throw new IllegalStateException("Kafka is a cluster of " + cluster.size() + " nodes here: pick one with cluster().node(id)");
        }
        return cluster.node(1);
    }

    /** The embedded Kafka nodes, to stop, kill, pause and restart any of them; not available when Kafka runs in a container. */
    public KafkaCluster cluster() {
        if (kafka instanceof KafkaCluster cluster) {
            return cluster;
        }
        throw new IllegalStateException("Kafka runs in a Testcontainers container here; the broker cannot be controlled");
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops everything; a temporary data directory is deleted. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.close();
        kafka.stop();
        postgres.close();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private static <T> void stopOnceSettled(CompletableFuture<T> part, Consumer<T> stop) {
        part.handle((started, failure) -> {
            if (started != null) {
                stop.accept(started);
            }
            return null;
        }).join();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("eventstore-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
