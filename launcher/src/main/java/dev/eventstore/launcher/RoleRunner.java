package dev.eventstore.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one role of the store (gate, indexer) as a long-lived process: starts it, serves its metrics,
 * prints a readiness line, stops it gracefully on SIGTERM or Ctrl-C, and ends the process with a
 * non-zero status when the role stops by itself.
 */
final class RoleRunner {

    private static final Logger log = LoggerFactory.getLogger(RoleRunner.class);

    /** A started role. */
    interface Running extends AutoCloseable {
        /** What the readiness line says of it. */
        String description();

        boolean isHealthy();

        /** Completes when the role stops, exceptionally when it failed. */
        CompletableFuture<?> stopped();

        @Override
        void close();
    }

    private RoleRunner() {}

    /**
     * @param defaultMetricsPort where {@code /metrics} and {@code /health} are served unless
     *     {@code metrics.port} says otherwise (-1: no endpoint)
     * @return the exit status when the role stopped by itself; on SIGTERM the JVM exits from its shutdown hook
     */
    static int run(String role, StoreSettings settings, int defaultMetricsPort, Function<MeterRegistry, Running> start)
            throws InterruptedException {
        MetricsEndpoint metrics = new MetricsEndpoint();
        Running running;
        try {
            running = start.apply(metrics.registry());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        int port = settings.getInt("metrics.port", defaultMetricsPort);
        BooleanSupplier healthy = running::isHealthy;
        if (port >= 0) {
            metrics.serve(port, healthy);
        }
        CountDownLatch shutDown = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signalled.set(true);
            log.info("Stopping the {} (signal received)", role);
            running.close();
            metrics.close();
            log.info("The {} stopped", role);
            shutDown.countDown();
        }, role + "-shutdown"));
        System.out.println(role + " ready: " + running.description()
                + (port >= 0 ? "; metrics on http://localhost:" + metrics.port() + "/metrics" : ""));
        System.out.flush();
        try {
            running.stopped().get();
        } catch (ExecutionException failed) {
            System.err.println("error: the " + role + " stopped: " + failed.getCause());
            return 1;
        }
        if (signalled.get()) {
            shutDown.await(); // the hook is closing it; the JVM exits when the hook is done
            return 0;
        }
        System.err.println("error: the " + role + " stopped by itself");
        running.close();
        metrics.close();
        return 1;
    }
}
