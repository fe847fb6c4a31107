package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gate instance: the Kafka Streams application that decides every stream's versions.
 * The store topics must exist ({@link TopicProvisioner}).
 */
public final class Gate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gate.class);

    private final KafkaStreams streams;
    private final GateConfig config;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CompletableFuture<KafkaStreams.State> stopped;
    private final AbandonedTransactions abandonedTransactions;

    private Gate(KafkaStreams streams, GateConfig config, KafkaStreamsMetrics streamsMetrics,
                 CompletableFuture<KafkaStreams.State> stopped, AbandonedTransactions abandonedTransactions) {
        this.streams = streams;
        this.config = config;
        this.streamsMetrics = streamsMetrics;
        this.stopped = stopped;
        this.abandonedTransactions = abandonedTransactions;
    }

    /**
     * Starts an instance and waits until it is running (its partitions assigned and state restored).
     *
     * @throws GateException when it does not reach RUNNING within {@code startTimeout}
     */
    public static Gate start(GateConfig config, Duration startTimeout) {
        return start(config, startTimeout, Metrics.globalRegistry);
    }

    /**
     * As {@link #start(GateConfig, Duration)}, with the gate's counters ({@code eventstore.gate.*}) and
     * Kafka Streams' own metrics published to {@code meters}.
     */
    public static Gate start(GateConfig config, Duration startTimeout, MeterRegistry meters) {
        return start(config, startTimeout, meters, GlobalOpenTelemetry.getOrNoop());
    }

    /**
     * As {@link #start(GateConfig, Duration, MeterRegistry)}, each decision of an append that carries a trace
     * context traced with {@code openTelemetry} (the other factories use {@link GlobalOpenTelemetry}).
     */
    public static Gate start(GateConfig config, Duration startTimeout, MeterRegistry meters, OpenTelemetry openTelemetry) {
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        registerWhileStarting(() -> AppendProtocol.registerSchemas(registry, config.topics()), startTimeout);
        PartitionCounts partitions = PartitionCounts.of(config);
        RocksDbLibrary.loadFrom(config.stateDir().resolve("native"));
        Properties streamsProperties = config.toStreamsProperties();
        KafkaStreams streams = new GateStreams(GateTopology.build(config.topics(), config.limits(), config.dedupWindow(),
                registry, partitions, meters, config.applicationId(), openTelemetry), streamsProperties);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        CompletableFuture<KafkaStreams.State> stopped = new CompletableFuture<>();
        AbandonedTransactions abandoned = AbandonedTransactions.of(config.applicationId(), streamsProperties,
                () -> streams.metadataForLocalThreads().stream().map(thread -> thread.threadName() + "-consumer").toList());
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.info("Gate {} state {} -> {}", config.applicationId(), before, now);
            if (now == KafkaStreams.State.REBALANCING || now == KafkaStreams.State.RUNNING) {
                // A member gone starts a rebalance, and its open transaction would hold the partitions' new owner.
                abandoned.fenceAbandoned();
            }
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.complete(now);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = StreamThreadFailure.responseTo(e);
            if (StreamThreadFailure.abortedTransaction(e).isPresent()) {
                log.warn("Gate {} stream thread stopped: the brokers aborted its transaction ({}); replacing the thread,"
                        + " which decides the same requests again from the last commit", config.applicationId(), e.getMessage());
                StreamThreadFailure.pauseBeforeReplacing();
            } else if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                log.warn("Gate {} stream thread stopped: the schema registry did not answer ({}); replacing the thread,"
                        + " which decides the same requests again once it does", config.applicationId(), e.getMessage());
                StreamThreadFailure.pauseBeforeReplacing();
            } else {
                log.error("Gate {} stream thread failed; shutting this instance down", config.applicationId(), e);
            }
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                ReplacedThreadMember.removeOnceEnded(Thread.currentThread(), streams, streamsProperties, config.applicationId());
            }
            return response;
        });
        streams.start();
        try {
            if (!running.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                streams.close(Duration.ofSeconds(10));
                streamsMetrics.close();
                abandoned.close();
                throw new GateException("gate did not reach RUNNING within " + startTimeout + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.close(Duration.ofSeconds(10));
            streamsMetrics.close();
            abandoned.close();
            throw new GateException("interrupted while starting the gate", e);
        }
        return new Gate(streams, config, streamsMetrics, stopped, abandoned);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Completes with {@code ERROR} when this instance stops by itself (its stream thread failed), or with
     * {@code NOT_RUNNING} after {@link #close()}: a process running the gate exits on it.
     */
    public CompletableFuture<KafkaStreams.State> stopped() {
        return stopped;
    }

    public GateConfig config() {
        return config;
    }

    /**
     * Stops gracefully: the current transaction commits and the instance leaves the group (a static member
     * is removed from it explicitly), so that its partitions move to the other instances at once instead of
     * after the session timeout ({@link Failover}).
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        abandonedTransactions.close();
    }

    /**
     * Registers the protocol's schemas, asking again while the registry does not answer or fails (a registry
     * still starting, or slow on a loaded machine, must not stop a gate that could wait for it), until
     * {@code timeout}; a refusal (4xx) fails at once.
     */
    static void registerWhileStarting(Runnable register, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                register.run();
                return;
            } catch (SchemaRegistryException e) {
                if (!e.isRetryable() || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.warn("Registering the append protocol's schemas failed, asking again: {}", e.getMessage());
                if (!Pause.sleep(Duration.ofSeconds(1))) {
                    throw e;
                }
            }
        }
    }
}
