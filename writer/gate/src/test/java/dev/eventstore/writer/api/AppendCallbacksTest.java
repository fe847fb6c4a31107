package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.MoneyDeposited;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a caller does in an append's callback does not hold up the client: a callback that blocks, on a second append
 * of its own or on anything else, delays neither that second append's result nor the results of other appends.
 * (Completed on the thread that reads the results, as before, a callback waiting for another append's result waited
 * for itself until that append timed out, and every other append in flight waited with it.)
 */
class AppendCallbacksTest {

    /** Longer than any answer takes on a loaded box; far shorter than the appends' own timeout below. */
    private static final long ANSWERED_WITHIN_SECONDS = 20;
    private static final AppendOptions PATIENT = AppendOptions.defaults().timeout(Duration.ofSeconds(60));

    @TempDir
    Path stateDir;
    private BrokerGate gate;

    @BeforeEach
    void start() {
        gate = BrokerGate.start(stateDir);
    }

    @AfterEach
    void stop() {
        gate.close();
    }

    @Test
    void aCallbackThatAppendsAgainAndWaitsForTheResultGetsIt() throws Exception {
        AppendClient client = gate.client;
        String stream = "Account-" + UUID.randomUUID();
        CompletableFuture<AppendResult> second = client.append(stream, ExpectedVersion.noStream(),
                        List.of(NewEvent.of(new AccountOpened(stream, "Ann", "EUR"))), PATIENT)
                .thenApply(first -> client.append(stream, ExpectedVersion.exactly(first.lastVersion()),
                        List.of(NewEvent.of(new MoneyDeposited(stream, 100L))), PATIENT).join());

        assertThat(second.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS).lastVersion()).isEqualTo(2);
    }

    @Test
    void aCallbackThatBlocksDoesNotHoldUpTheResultsOfOtherAppends() throws Exception {
        AppendClient client = gate.client;
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        String first = "Account-" + UUID.randomUUID();
        CompletableFuture<Void> blocked = client.append(first, ExpectedVersion.noStream(),
                List.of(NewEvent.of(new AccountOpened(first, "Ann", "EUR"))), PATIENT).thenAccept(result -> {
                    blocking.countDown();
                    awaitUninterruptibly(released);
                });
        try {
            assertThat(blocking.await(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS)).as("the first append's callback runs").isTrue();
            for (int i = 0; i < 3; i++) {
                String other = "Account-" + UUID.randomUUID();
                AppendResult result = client.append(other, ExpectedVersion.noStream(),
                        List.of(NewEvent.of(new AccountOpened(other, "Bob", "EUR"))), PATIENT).get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS);
                assertThat(result.lastVersion()).isEqualTo(1);
            }
            assertThat(blocked).as("still blocked in its callback").isNotDone();
        } finally {
            released.countDown();
        }
        blocked.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
