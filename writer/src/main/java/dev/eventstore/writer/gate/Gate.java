package dev.eventstore.writer.gate;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private Gate(KafkaStreams streams, GateConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /**
     * Starts an instance and waits until it is running (its partitions assigned and state restored).
     *
     * @throws GateException when it does not reach RUNNING within {@code startTimeout}
     */
    public static Gate start(GateConfig config, Duration startTimeout) {
        KafkaStreams streams = new KafkaStreams(
                GateTopology.build(config.topics(), config.limits(), config.dedupWindow()), config.toStreamsProperties());
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.info("Gate {} state {} -> {}", config.applicationId(), before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // Reprocessing the same input would fail the same way: stop this instance loudly and let the
            // others (or a restart) take over; exactly-once aborts whatever was in flight.
            log.error("Gate {} stream thread failed; shutting this instance down", config.applicationId(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        try {
            if (!running.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                streams.close(Duration.ofSeconds(10));
                throw new GateException("gate did not reach RUNNING within " + startTimeout + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.close(Duration.ofSeconds(10));
            throw new GateException("interrupted while starting the gate", e);
        }
        return new Gate(streams, config);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public GateConfig config() {
        return config;
    }

    /** Stops gracefully: the current transaction commits, partitions are handed over. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
