package dev.eventstore.writer.gate;

import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What the gate does when its stream thread fails. Most failures would repeat on the same input, so the
 * instance stops loudly and the others (or a restart) take over. A registry that does not answer is the
 * exception: the gate asks it only the first time it meets a request schema id (a newer client, another
 * language's client), and an outage of the registry must not stop every gate that meets one. That thread is
 * replaced after a pause: exactly-once aborts its transaction, and the replacement decides the same requests
 * again from the last commit once the registry answers.
 *
 * <p>A transaction the brokers aborted is the other: when a partition leader hangs (a paused or cut-off
 * broker), the gate's transaction outlives its timeout waiting on it, the coordinator aborts it, and the
 * gate's commit is answered {@code INVALID_TXN_STATE}, which the producer (Kafka 4.4) takes as fatal. Nothing
 * of the aborted transaction is visible, so a replacement thread, with a new producer, decides the same
 * requests again from the last commit; stopping instead would leave its partitions unanswered until the
 * session timeout and take a whole gate out for one hung broker.
 */
final class StreamThreadFailure {

    static final Duration PAUSE_BEFORE_REPLACING = Duration.ofSeconds(1);

    private StreamThreadFailure() {}

    static StreamThreadExceptionResponse responseTo(Throwable failure) {
        return unansweredRegistry(failure).isPresent() || abortedTransaction(failure).isPresent()
                ? StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The brokers' refusal of a transaction they aborted behind {@code failure}, if it is one. */
    static Optional<InvalidTxnStateException> abortedTransaction(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTxnStateException aborted) {
                return Optional.of(aborted);
            }
        }
        return Optional.empty();
    }

    /** The registry failure behind {@code failure} when asking again may help: no answer or a server error. */
    static Optional<SchemaRegistryException> unansweredRegistry(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return registry.isRetryable() ? Optional.of(registry) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Waits before a thread is replaced, so that an outage does not turn into a loop of rebalances. */
    static void pauseBeforeReplacing() {
        Pause.sleep(PAUSE_BEFORE_REPLACING);
    }
}
