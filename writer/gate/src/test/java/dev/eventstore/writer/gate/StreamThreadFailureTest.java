package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.net.ConnectException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailureTest {

    @Test
    void aRegistryThatDidNotAnswerBehindTheStreamsWrappingReplacesTheThread() {
        Throwable failure = new StreamsException("Exception caught in process", new SchemaRegistryException(
                "schema registry at http://127.0.0.1:1 unreachable", new ConnectException("Connection refused")));

        assertThat(StreamThreadFailure.responseTo(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void aServerErrorOfTheRegistryReplacesTheThread() {
        Throwable failure = new StreamsException(new SchemaRegistryException(503, 50301, "unavailable"));

        assertThat(StreamThreadFailure.responseTo(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void aRefusalOfTheRegistryStopsTheInstanceBecauseAskingAgainWouldNotHelp() {
        Throwable failure = new StreamsException(new SchemaRegistryException(401, 401, "unauthorized"));

        assertThat(StreamThreadFailure.responseTo(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aCommitOfATransactionTheBrokersAbortedReplacesTheThread() {
        // What a gate's commit met when a partition leader was paused past the transaction timeout (Kafka 4.4).
        Throwable failure = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

        assertThat(StreamThreadFailure.responseTo(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(StreamThreadFailure.abortedTransaction(failure)).isPresent();
        assertThat(StreamThreadFailure.abortedTransaction(new StreamsException(new IllegalStateException("bug")))).isEmpty();
    }

    @Test
    void anyOtherFailureStopsTheInstance() {
        assertThat(StreamThreadFailure.responseTo(new StreamsException(new IllegalStateException("bug"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(StreamThreadFailure.responseTo(new MalformedPayloadException("schema id 9 is unknown to the registry")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
