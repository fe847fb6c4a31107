package dev.eventstore.launcher;

import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that each server a command needs answers, before the command relies on it. A role (gate, indexer)
 * waits up to its start-up timeout, so that a role started together with its servers (as in docker-compose)
 * comes up once they do; a command a user types tries once ({@link #once}). Either way a server that does
 * not answer ends in one line naming the server, its address and the settings it came from.
 */
final class ServerChecks {

    private static final Logger log = LoggerFactory.getLogger(ServerChecks.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int PROBE_TIMEOUT_MS = 5_000;

    private final Duration timeout;
    private final StoreSettings settings;

    ServerChecks(Duration timeout, StoreSettings settings) {
        this.timeout = timeout;
        this.settings = settings;
    }

    /** One attempt per server, for the commands a user runs by hand. */
    static ServerChecks once(StoreSettings settings) {
        return new ServerChecks(Duration.ZERO, settings);
    }

    /** Waits as long as {@code startup.timeout.seconds} (60) says, for the long-running roles. */
    static ServerChecks atStartup(StoreSettings settings) {
        return new ServerChecks(Duration.ofSeconds(settings.getInt("startup.timeout.seconds", 60)), settings);
    }

    void kafka(Admin admin) {
        // A bounded call: an admin call left pending would hold close() for the client's default minute.
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS);
        await("Kafka", "kafka.bootstrap.servers", () -> {
            if (admin.describeCluster(options).nodes().get().isEmpty()) {
                throw new IllegalStateException("the cluster reports no broker");
            }
            return null;
        });
    }

    void postgres() {
        StoreAddresses addresses = settings.addresses();
        Properties props = new Properties();
        props.setProperty("user", addresses.jdbcUser());
        props.setProperty("password", addresses.jdbcPassword());
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "10");
        await("PostgreSQL", "jdbc.url", () -> {
            try (Connection connection = DriverManager.getConnection(addresses.jdbcUrl(), props)) {
                return connection.isValid(5);
            }
        });
    }

    void registry() {
        SchemaRegistryConfig config = settings.schemaRegistry();
        SchemaRegistryClient client = new SchemaRegistryClient(config.withTimeout(Duration.ofMillis(PROBE_TIMEOUT_MS)));
        await("the schema registry", "schema.registry.url", client::globalCompatibility);
    }

    private void await(String server, String key, Callable<?> probe) {
        String address = settings.required(key);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (true) {
            try {
                probe.call();
                log.info("{} at {} answers", server, address);
                return;
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (System.nanoTime() - deadline >= 0) {
                    throw new ServerUnreachableException(server, address, timeout, Failures.oneLine(cause),
                            key + " from " + settings.sourceOf(key), cause);
                }
                if (!told) {
                    log.info("Waiting for {} at {} ({})", server, address, Failures.oneLine(cause));
                    told = true;
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerUnreachableException(server, address, timeout, "interrupted while waiting",
                        key + " from " + settings.sourceOf(key), e);
            }
        }
    }
}
