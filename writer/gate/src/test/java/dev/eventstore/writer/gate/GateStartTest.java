package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GateStartTest {

    @Test
    void aRegistryThatDoesNotAnswerAtFirstIsAskedAgainUntilItDoes() {
        AtomicInteger attempts = new AtomicInteger();
        Gate.registerWhileStarting(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SchemaRegistryException("registry did not answer within 10000 ms", null);
            }
        }, Duration.ofSeconds(30));
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aRefusalOfTheRegistryFailsTheStartAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Gate.registerWhileStarting(() -> {
            attempts.incrementAndGet();
            throw new SchemaRegistryException(409, 409, "incompatible");
        }, Duration.ofSeconds(30))).isInstanceOf(SchemaRegistryException.class).hasMessage("incompatible");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRegistryThatNeverAnswersFailsTheStartOnceTheTimeoutHasPassed() {
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        assertThatThrownBy(() -> Gate.registerWhileStarting(() -> {
            attempts.incrementAndGet();
            throw new SchemaRegistryException(503, 0, "unavailable");
        }, Duration.ofSeconds(2))).isInstanceOf(SchemaRegistryException.class);
        assertThat(attempts.get()).isBetween(2, 4);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
}
