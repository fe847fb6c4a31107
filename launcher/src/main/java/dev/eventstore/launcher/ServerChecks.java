package dev.eventstore.launcher;

import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start until each server a role needs answers, so that a role started together with its servers
 * (as in docker-compose) comes up once they do, and a wrong address ends in a clear message, not a hang.
 */
final class ServerChecks {

    private static final Logger log = LoggerFactory.getLogger(ServerChecks.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Duration timeout;

    ServerChecks(Duration timeout) {
        this.timeout = timeout;
    }

    void kafka(Admin admin, String bootstrapServers) {
        await("Kafka at " + bootstrapServers, () -> {
            if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                throw new IllegalStateException("the cluster reports no broker");
            }
            return null;
        });
    }

    void postgres(String jdbcUrl, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "10");
        await("PostgreSQL at " + jdbcUrl, () -> {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, props)) {
                return connection.isValid(5);
            }
        });
    }

    void registry(SchemaRegistryConfig config) {
        SchemaRegistryClient client = new SchemaRegistryClient(config.withTimeout(Duration.ofSeconds(5)));
        await("the schema registry at " + config.url(), client::globalCompatibility);
    }

    private void await(String server, Callable<?> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (true) {
            try {
                probe.call();
                log.info("{} answers", server);
                return;
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (System.nanoTime() > deadline) {
                    throw new ServerUnreachableException("cannot reach " + server + " within " + timeout.toSeconds()
                            + " s (startup.timeout.seconds): " + cause, cause);
                }
                if (!told) {
                    log.info("Waiting for {} ({})", server, cause.toString());
                    told = true;
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerUnreachableException("interrupted while waiting for " + server, e);
            }
        }
    }
}
