package dev.eventstore.writer.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An append client's meters: {@code eventstore.client.append.latency{outcome}}, from the call to the
 * completion of its future (a percentile histogram, so that p99 can be computed across clients; shared
 * by the clients of a registry), and {@code eventstore.client.appends.in.flight{client}}, one per client,
 * removed when it closes.
 */
final class ClientMeters {

    private final MeterRegistry registry;
    private final Gauge inFlight;
    private final Timer appended;
    private final Timer conflict;
    private final Timer invalid;
    private final Timer unknown;
    private final Timer notSent;

    ClientMeters(MeterRegistry registry, String client, Supplier<Number> inFlight) {
        this.registry = registry;
        appended = latency(registry, "appended");
        conflict = latency(registry, "wrong_expected_version");
        invalid = latency(registry, "invalid");
        unknown = latency(registry, "unknown");
        notSent = latency(registry, "not_sent");
        this.inFlight = Gauge.builder("eventstore.client.appends.in.flight", inFlight).description("appends sent and not yet answered")
                .tag("client", client).register(registry);
    }

    void remove() {
        registry.remove(inFlight);
    }

    /** Records the latency of {@code future} when it completes. */
    void time(CompletableFuture<?> future) {
        long started = System.nanoTime();
        future.whenComplete((result, error) -> timerFor(error).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    private Timer timerFor(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause == null) {
            return appended;
        }
        if (cause instanceof WrongExpectedVersionException) {
            return conflict;
        }
        if (cause instanceof InvalidAppendException || cause instanceof StreamDeletedException
                || cause instanceof VersionOutOfRangeException) {
            // Refused for good, as malformed input is; not an unknown outcome.
            return invalid;
        }
        return cause instanceof AppendNotSentException ? notSent : unknown;
    }

    private static Timer latency(MeterRegistry registry, String outcome) {
        return Timer.builder("eventstore.client.append.latency").description("from append() to its result")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }
}
