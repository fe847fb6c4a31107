package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.MoneyDeposited;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The gate's contract, run against the topology test driver and against the real broker. Every rule of
 * the concurrency gate: expected versions, atomic multi-event appends, idempotent retries, a request id
 * answering only the append it names, bad input, and many writers racing on one stream.
 */
abstract class GateContract {

    static final int RACE_WRITERS = 16;
    static final int RACE_ATTEMPTS = 2_000;

    abstract GateUnderTest gate();

    private AppendResult append(String stream, ExpectedVersion expected, NewEvent... events) throws Exception {
        return gate().append(stream, expected, List.of(events), AppendOptions.defaults()).get();
    }

    private Throwable failure(String stream, ExpectedVersion expected, List<NewEvent> events) {
        return failure(stream, expected, events, AppendOptions.defaults());
    }

    private Throwable failure(String stream, ExpectedVersion expected, List<NewEvent> events, AppendOptions options) {
        try {
            gate().append(stream, expected, events, options).get();
            throw new AssertionError("append to " + stream + " was accepted");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String newStream() {
        return "Account-" + UUID.randomUUID();
    }

    /**
     * A new stream whose requests go to the same partition of the requests topic as {@code stream}'s (the
     * producer's default partitioner over the broker gate's partitions): where request ids of both meet.
     */
    static String streamOnTheSamePartitionAs(String stream) {
        int partition = requestPartition(stream);
        while (true) {
            String candidate = newStream();
            if (requestPartition(candidate) == partition) {
                return candidate;
            }
        }
    }

    private static int requestPartition(String stream) {
        return Utils.toPositive(Utils.murmur2(stream.getBytes(StandardCharsets.UTF_8))) % BrokerGate.PARTITIONS;
    }

    static NewEvent deposit(String stream) {
        return NewEvent.of(new MoneyDeposited(stream, 100L));
    }

    @Test
    void aNewStreamsFirstAppendGetsVersionOneAndAMultiEventAppendGetsConsecutiveVersions() throws Exception {
        String stream = newStream();

        AppendResult opened = append(stream, ExpectedVersion.noStream(), NewEvent.of(new AccountOpened(stream, "Ann", "EUR")));
        AppendResult three = append(stream, ExpectedVersion.exactly(1), deposit(stream), deposit(stream), deposit(stream));

        assertThat(opened.firstVersion()).isEqualTo(1);
        assertThat(opened.lastVersion()).isEqualTo(1);
        assertThat(three.firstVersion()).isEqualTo(2);
        assertThat(three.lastVersion()).isEqualTo(4);
        assertThat(gate().versionsInLog(stream, 4)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aWrongExactVersionAppendsNothingAndStatesTheActualVersion() throws Exception {
        String stream = newStream();
        append(stream, ExpectedVersion.any(), deposit(stream), deposit(stream));

        Throwable conflict = failure(stream, ExpectedVersion.exactly(1), List.of(deposit(stream)));

        assertThat(conflict).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.streamId()).isEqualTo(stream);
            assertThat(e.expectedVersion()).isEqualTo(ExpectedVersion.exactly(1));
            assertThat(e.actualVersion()).isEqualTo(2);
        });
        assertThat(gate().versionsInLog(stream, 2)).containsExactly(1L, 2L);
    }

    @Test
    void noStreamAndStreamExistsAreCheckedAgainstTheStreamsExistence() throws Exception {
        String stream = newStream();

        assertThat(failure(stream, ExpectedVersion.streamExists(), List.of(deposit(stream))))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isZero());
        append(stream, ExpectedVersion.noStream(), deposit(stream));
        assertThat(failure(stream, ExpectedVersion.noStream(), List.of(deposit(stream))))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
        assertThat(append(stream, ExpectedVersion.streamExists(), deposit(stream)).lastVersion()).isEqualTo(2);
        assertThat(append(stream, ExpectedVersion.any(), deposit(stream)).lastVersion()).isEqualTo(3);
    }

    @Test
    void aRequestIdAppliedBeforeGetsItsOriginalResultAndAppendsNothing() throws Exception {
        String stream = newStream();
        AppendOptions options = AppendOptions.defaults().idempotencyKey(EventIds.next().toString());
        List<NewEvent> events = List.of(deposit(stream), deposit(stream));
        AppendResult original = gate().append(stream, ExpectedVersion.noStream(), events, options).get();

        AppendResult retried = gate().append(stream, ExpectedVersion.noStream(), events, options).get();

        assertThat(original.duplicate()).isFalse();
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.firstVersion()).isEqualTo(original.firstVersion());
        assertThat(retried.lastVersion()).isEqualTo(original.lastVersion());
        assertThat(gate().versionsInLog(stream, 2)).containsExactly(1L, 2L);
    }

    @Test
    void anAppendExpectingAnyVersionIsRetriedSafelyWithTheClientsRequestIdOrOneOfYourOwn() throws Exception {
        // A time-ordered key is found by a point lookup; a key of your own by a range fetch.
        String stream = newStream();
        for (String key : List.of(EventIds.next().toString(), "payment-" + stream)) {
            AppendOptions options = AppendOptions.defaults().idempotencyKey(key);
            List<NewEvent> events = List.of(deposit(stream));
            AppendResult original = gate().append(stream, ExpectedVersion.any(), events, options).get();

            AppendResult retried = gate().append(stream, ExpectedVersion.any(), events, options).get();

            assertThat(retried.duplicate()).isTrue();
            assertThat(retried.lastVersion()).isEqualTo(original.lastVersion());
        }
        assertThat(gate().versionsInLog(stream, 2)).containsExactly(1L, 2L);
    }

    @Test
    void oneOptionsValueSharedByAppendsToTwoStreamsOfOnePartitionAppendsBothWithTheirOwnResults() throws Exception {
        String first = newStream();
        String second = streamOnTheSamePartitionAs(first);
        AppendOptions shared = AppendOptions.defaults().correlationId("order-7").timeout(Duration.ofSeconds(30));

        AppendResult toFirst = gate().append(first, ExpectedVersion.any(), List.of(deposit(first)), shared).get();
        AppendResult toSecond = gate().append(second, ExpectedVersion.any(), List.of(deposit(second)), shared).get();

        assertThat(toSecond.streamId()).isEqualTo(second);
        assertThat(toSecond.duplicate()).isFalse();
        assertThat(toSecond.requestId()).isNotEqualTo(toFirst.requestId());
        assertThat(gate().versionsInLog(first, 1)).containsExactly(1L);
        assertThat(gate().versionsInLog(second, 1)).containsExactly(1L);
    }

    @Test
    void aRequestIdAppliedToOneStreamIsRefusedForAnotherStreamAndNothingIsAppendedThere() throws Exception {
        // Both kinds of key, and both ways an append to another stream used to go wrong: expecting no stream
        // (its version proved it new, so the id was not looked up and the append was applied) and expecting
        // any version (answered with the first stream's result, its events never written).
        for (String key : List.of(EventIds.next().toString(), "payment-" + UUID.randomUUID())) {
            String applied = newStream();
            String other = streamOnTheSamePartitionAs(applied);
            AppendOptions options = AppendOptions.defaults().idempotencyKey(key);
            List<NewEvent> events = List.of(deposit(applied));
            gate().append(applied, ExpectedVersion.noStream(), events, options).get();

            for (ExpectedVersion expected : List.of(ExpectedVersion.noStream(), ExpectedVersion.any())) {
                assertThat(failure(other, expected, List.of(deposit(other)), options))
                        .isInstanceOfSatisfying(RequestIdReusedException.class, e -> {
                            assertThat(e.requestId()).isEqualTo(key);
                            assertThat(e.isRetryable()).isFalse();
                        })
                        .hasMessageContaining("was used for an append to stream " + applied + ", not " + other);
            }

            assertThat(gate().versionsInLog(other, 0)).isEmpty();
            AppendResult retried = gate().append(applied, ExpectedVersion.noStream(), events, options).get();
            assertThat(retried.duplicate()).as("the id still answers the append it was applied to").isTrue();
            assertThat(gate().versionsInLog(applied, 1)).containsExactly(1L);
        }
    }

    @Test
    void aRequestIdAppliedToAnAppendIsRefusedForOtherEventsOnTheSameStream() throws Exception {
        String stream = newStream();
        AppendOptions options = AppendOptions.defaults().idempotencyKey(EventIds.next().toString());
        NewEvent applied = deposit(stream);
        gate().append(stream, ExpectedVersion.any(), List.of(applied), options).get();

        Throwable otherEvent = failure(stream, ExpectedVersion.any(), List.of(deposit(stream)), options);
        Throwable oneMore = failure(stream, ExpectedVersion.any(), List.of(applied, deposit(stream)), options);
        Throwable otherExpectation = failure(stream, ExpectedVersion.exactly(1), List.of(applied), options);

        assertThat(List.of(otherEvent, oneMore, otherExpectation)).allSatisfy(refused -> assertThat(refused)
                .isInstanceOf(RequestIdReusedException.class)
                .hasMessageContaining("was used for another append to stream " + stream));
        assertThat(gate().versionsInLog(stream, 1)).containsExactly(1L);
    }

    @Test
    void badInputIsRefusedWithATypedErrorAndWritesNothing() throws Exception {
        String stream = newStream();

        assertThat(failure("", ExpectedVersion.any(), List.of(deposit(stream)))).isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("stream id must not be empty");
        assertThat(failure("Account\u0007bell", ExpectedVersion.any(), List.of(deposit(stream))))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("control characters");
        assertThat(failure("A".repeat(501), ExpectedVersion.any(), List.of(deposit(stream))))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("longer than 500");
        assertThat(failure(stream, ExpectedVersion.any(), List.of())).isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("at least one event");
        List<NewEvent> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            tooMany.add(deposit(stream));
        }
        assertThat(failure(stream, ExpectedVersion.any(), tooMany)).isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("at most 1000 events");
        assertThat(failure(stream, ExpectedVersion.any(), List.of(deposit(stream).withType(""))))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("event type must not be empty");
        assertThat(failure(stream, ExpectedVersion.any(), List.of(deposit(stream).withMetadata(Map.of("es.version", "9")))))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("reserved prefix");
        NewEvent first = deposit(stream);
        assertThat(failure(stream, ExpectedVersion.any(), List.of(first, deposit(stream).withEventId(first.eventId()))))
                .isInstanceOf(InvalidAppendException.class).hasMessageContaining("is also the id of event 0");
        NewEvent huge = NewEvent.of(new AccountOpened(stream, "x".repeat(1_100_000), "EUR"));
        assertThat(failure(stream, ExpectedVersion.any(), List.of(huge))).isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("more than the limit");

        assertThat(append(stream, ExpectedVersion.noStream(), deposit(stream)).lastVersion())
                .as("the stream was untouched by the refused appends").isEqualTo(1);
        assertThat(gate().versionsInLog(stream, 1)).containsExactly(1L);
    }

    @RepeatedTest(3)
    void writersRacingOnOneStreamWithExactVersionsGetExactlyOneWinnerPerVersion() throws Exception {
        String stream = newStream();
        Map<Long, Integer> winners = new ConcurrentHashMap<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> wrongConflicts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(RACE_WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < RACE_WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                long known = 0;
                while (attempts.getAndIncrement() < RACE_ATTEMPTS) {
                    try {
                        AppendResult won = gate().append(stream, ExpectedVersion.exactly(known), List.of(deposit(stream)),
                                AppendOptions.defaults()).get();
                        Integer previous = winners.putIfAbsent(won.lastVersion(), writer);
                        if (previous != null) {
                            throw new AssertionError("version " + won.lastVersion() + " won twice");
                        }
                        known = won.lastVersion();
                    } catch (ExecutionException e) {
                        long actual = ((WrongExpectedVersionException) e.getCause()).actualVersion();
                        conflicts.incrementAndGet();
                        if (actual <= known) {
                            synchronized (wrongConflicts) {
                                wrongConflicts.add("expected " + known + ", told " + actual);
                            }
                        }
                        known = actual;
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();

        int successes = winners.size();
        List<Long> oneToN = LongStream.rangeClosed(1, successes).boxed().toList();
        assertThat(successes + conflicts.get()).isEqualTo(RACE_ATTEMPTS);
        assertThat(winners.keySet()).containsExactlyInAnyOrderElementsOf(oneToN);
        assertThat(wrongConflicts).as("every loser is told a version newer than the one it expected").isEmpty();
        assertThat(gate().versionsInLog(stream, successes)).containsExactlyElementsOf(oneToN);
        gate().versionsInIndex(stream, successes).ifPresent(indexed -> assertThat(indexed).containsExactlyElementsOf(oneToN));
    }
}
