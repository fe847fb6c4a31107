package dev.eventstore.reader.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.ReaderStack;
import dev.eventstore.schemas.DeadLetters;
import dev.eventstore.example.bank.MoneyDeposited;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriptions on the embedded broker. Each test works on a category of its own. */
class SubscriptionTest {

    private static final Duration WAIT = ReaderStack.WAIT;
    private static ReaderStack store;

    @BeforeAll
    static void start() throws Exception {
        store = new ReaderStack();
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    private static SubscriptionConfig config(String category) {
        return SubscriptionConfig.of(store.stack.bootstrapServers(), category + "-" + UUID.randomUUID())
                .withTopics(store.topics).withFilter(EventFilter.categories(category));
    }

    private static void assertInOrderPerStream(Collector collector, long versionsPerStream) {
        List<Long> oneToN = LongStream.rangeClosed(1, versionsPerStream).boxed().toList();
        collector.versionsByStream().forEach((stream, versions) -> assertThat(versions).as(stream).isEqualTo(oneToN));
    }

    @Test
    void catchesUpFromTheBeginningInOrderPerStreamSignalsItThenGoesLive() throws Exception {
        store.produce("Live", 20, 2_000, 100);
        Collector collector = new Collector();
        try (Subscription subscription = Subscription.start(config("Live"), collector)) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(collector.count()).isEqualTo(2_000);
            assertThat(subscription.lag().totalEvents()).isZero();
            assertThat(subscription.lag().events()).hasSize(ReaderStack.PARTITIONS);

            store.produce("Live", 20, 500, 100);
            collector.awaitDistinct(2_500, WAIT);
            assertInOrderPerStream(collector, 125);
            assertThat(collector.count()).isEqualTo(2_500);
        }
    }

    @Test
    void aCallbackOnCaughtUpThatBlocksStopsNeitherTheEventsNorTheClose() throws Exception {
        store.produce("Blocked", 10, 200, 100);
        Collector collector = new Collector();
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        Subscription subscription = Subscription.start(config("Blocked"), collector);
        try {
            CompletableFuture<Void> callback = subscription.caughtUp().thenRun(() -> {
                inCallback.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Not caughtUp().get(): a thread waiting on a future may run its callbacks itself when it wakes.
            assertThat(inCallback.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("caught up, the callback runs").isTrue();

            store.produce("Blocked", 10, 300, 100);
            collector.awaitDistinct(500, WAIT);
            assertThat(callback).as("still blocked in the caller's callback").isNotDone();
            CompletableFuture.runAsync(subscription::close).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            released.countDown();
            subscription.close();
        }
        assertThat(collector.count()).isEqualTo(500);
    }

    @Test
    void startsAtTheEndOrAtATimestampWhenTheGroupIsNew() throws Exception {
        store.produce("Early", 10, 100, 100);
        Collector fromEnd = new Collector();
        try (Subscription atEnd = Subscription.start(config("Early").withStartFrom(StartFrom.end()), fromEnd)) {
            atEnd.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Thread.sleep(20);
            Instant between = Instant.now();
            Thread.sleep(20);
            store.produce("Early", 10, 50, 100);
            fromEnd.awaitDistinct(50, WAIT);

            Collector fromInstant = new Collector();
            try (Subscription atInstant = Subscription.start(config("Early").withStartFrom(StartFrom.timestamp(between)), fromInstant)) {
                atInstant.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(fromInstant.distinct()).hasSize(50).isEqualTo(fromEnd.distinct());
            }
        }
        Set<Long> versions = fromEnd.events().stream().map(e -> e.version()).collect(Collectors.toSet());
        assertThat(versions).containsExactlyInAnyOrder(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void filtersOnEnvelopeHeadersSoSkippedEventsAreNeverDecoded() throws Exception {
        store.produce("Filt", 4, 40, 100);
        // Neither a store event type nor a decodable payload: the filter must skip it unread.
        store.produceRaw("Filt-0", 11, "Garbage", "not avro".getBytes(StandardCharsets.UTF_8));
        EventDecoder decoder = new EventDecoder(store.registry);
        Collector decoded = new Collector();
        EventHandler decoding = event -> {
            decoder.decode(event, MoneyDeposited.class);
            decoded.handle(event);
        };
        SubscriptionConfig byType = config("Filt").withFilter(EventFilter.categories("Filt").withEventTypes("MoneyDeposited"));
        try (Subscription subscription = Subscription.start(byType, decoding)) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(decoded.count()).isEqualTo(40);
        }
        assertThat(parkedBy(byType.groupId())).isEmpty();

        Collector oneStream = new Collector();
        try (Subscription subscription = Subscription.start(config("Filt").withFilter(EventFilter.streams("Filt-2")), oneStream)) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(oneStream.versionsByStream()).containsOnlyKeys("Filt-2");
        assertInOrderPerStream(oneStream, 10);
    }

    @Test
    void membersOfAGroupShareThePartitionsAndTogetherSeeEveryEvent() throws Exception {
        SubscriptionConfig config = config("Share");
        Collector first = new Collector();
        Collector second = new Collector();
        try (Subscription a = Subscription.start(config, first); Subscription b = Subscription.start(config, second)) {
            // Both caught up means both hold partitions: the group has settled.
            a.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            b.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // A member reports a partition's lag once its first fetch answered, which may come just after caught-up.
            long settled = System.nanoTime() + WAIT.toNanos();
            while (a.lag().events().size() + b.lag().events().size() != ReaderStack.PARTITIONS) {
                assertThat(System.nanoTime()).as("the two members report the lag of the %d partitions between them",
                        ReaderStack.PARTITIONS).isLessThan(settled);
                Thread.sleep(50);
            }
            store.produce("Share", 40, 4_000, 100);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (union(first, second).size() < 4_000) {
                assertThat(System.nanoTime()).as("every event seen in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        assertThat(first.count()).isPositive();
        assertThat(second.count()).isPositive();
        assertThat(first.count() + second.count()).isEqualTo(4_000);
        // A stream lives in one partition, so in one member, handled there in order.
        assertThat(first.versionsByStream().keySet()).doesNotContainAnyElementsOf(second.versionsByStream().keySet());
        assertInOrderPerStream(first, 100);
        assertInOrderPerStream(second, 100);
    }

    private static Set<String> union(Collector first, Collector second) {
        Set<String> all = new HashSet<>(first.distinct());
        all.addAll(second.distinct());
        return all;
    }

    @Test
    void parksAnEventTheHandlerKeepsFailingOnAndAPoisonPayloadThenGoesOn() throws Exception {
        store.produce("Park", 2, 10, 100);
        store.produceRaw("Park-9", 1, "MoneyDeposited", new byte[] {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff});
        store.produce("Park", 2, 2, 100);
        EventDecoder decoder = new EventDecoder(store.registry);
        Collector handled = new Collector();
        AtomicInteger failures = new AtomicInteger();
        EventHandler handler = event -> {
            if (event.streamId().equals("Park-0") && event.version() == 3) {
                failures.incrementAndGet();
                throw new IllegalStateException("cannot handle deposit 3");
            }
            decoder.decode(event, MoneyDeposited.class);
            handled.handle(event);
        };
        SubscriptionConfig config = config("Park").withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
        try (Subscription subscription = Subscription.start(config, handler)) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(subscription.isRunning()).isTrue();
        }
        assertThat(handled.count()).isEqualTo(11);
        assertThat(handled.distinct()).doesNotContain("Park-0@3", "Park-9@1");
        assertThat(failures.get()).isEqualTo(3);

        Map<String, ConsumerRecord<String, byte[]>> parked = parkedBy(config.groupId()).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r));
        assertThat(parked).containsOnlyKeys("Park-0", "Park-9");
        assertThat(header(parked.get("Park-0"), DeadLetters.REASON)).startsWith("handler failed 3 times")
                .contains("cannot handle deposit 3");
        assertThat(header(parked.get("Park-0"), DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(header(parked.get("Park-0"), "es.version")).isEqualTo("3");
        assertThat(header(parked.get("Park-9"), DeadLetters.REASON)).startsWith("poison payload");
        assertThat(header(parked.get("Park-9"), DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(parked.get("Park-9"), DeadLetters.SOURCE)).startsWith(store.topics.events() + "-");
    }

    @Test
    void aRecordWithoutEnvelopeIsParkedAsUnreadableOnceTheHandlerReadsItsEnvelopeItsKeyByteForByte() throws Exception {
        // Not UTF-8 (0xC3 opens a two-byte sequence, '(' cannot continue it): a key decoded to a String and
        // encoded again would be parked as U+FFFD.
        byte[] key = ByteBuffer.allocate(18).putLong(ThreadLocalRandom.current().nextLong()).putLong(System.nanoTime())
                .put((byte) 0xC3).put((byte) '(').array();
        store.produceWithoutEnvelope(key);
        SubscriptionConfig config = config("Unread").withFilter(EventFilter.all());
        // The envelope is read when the handler first asks for it (RecordedEvent.fromLog): here, its type.
        try (Subscription subscription = Subscription.start(config, event -> event.eventType())) {
            subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> parked = store.readTopic(store.topics.deadLetters(), new ByteArrayDeserializer()).stream()
                .filter(r -> r.headers().lastHeader(DeadLetterHeaders.GROUP) != null)
                .filter(r -> header(r, DeadLetterHeaders.GROUP).equals(config.groupId()))
                .toList();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).key()).isEqualTo(key);
        assertThat(parked.get(0).value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(header(parked.get(0), DeadLetters.REASON)).startsWith("unreadable envelope");
    }

    @Test
    void aSlowHandlerOverABacklogOfHundredsOfThousandsOfEventsKeepsMemoryBounded() throws Exception {
        int backlog = 300_000;
        store.produce("Backlog", 100, backlog, 512);
        Runtime runtime = Runtime.getRuntime();
        long heapBefore = usedHeapAfterGc(runtime);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        int maxBuffered = 1_000;
        EventHandler stalled = event -> {
            release.await();
            handled.incrementAndGet();
        };
        try (Subscription subscription = Subscription.start(config("Backlog").withMaxBufferedEvents(maxBuffered), stalled)) {
            long joined = System.nanoTime() + WAIT.toNanos();
            while (subscription.lag().events().size() < ReaderStack.PARTITIONS) {
                assertThat(System.nanoTime()).as("the member fetched from every partition in time").isLessThan(joined);
                Thread.sleep(20);
            }
            int peakBuffered = 0;
            long peakHeap = 0;
            long minLag = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                Thread.sleep(300);
                peakBuffered = Math.max(peakBuffered, subscription.bufferedEvents());
                peakHeap = Math.max(peakHeap, usedHeapAfterGc(runtime) - heapBefore);
                minLag = Math.min(minLag, subscription.lag().totalEvents());
            }
            // The handler holds its first event: the member fetched its bound and paused, with the log still ahead.
            assertThat(peakBuffered).isBetween(1, maxBuffered + 500);
            assertThat(minLag).isGreaterThan(backlog - maxBuffered - 500L);
            assertThat(peakHeap).as("heap growth with a stalled handler").isLessThan(64L * 1024 * 1024);

            release.countDown();
            subscription.caughtUp().get(3 * WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(handled.get()).isEqualTo(backlog);
            assertThat(subscription.lag().totalEvents()).isZero();
            assertThat(subscription.bufferedEvents()).isZero();
        }
    }

    @Test
    void closeCommitsWhatWasHandledSoTheNextMemberStartsRightAfter() throws Exception {
        store.produce("Close", 10, 5_000, 100);
        SubscriptionConfig config = config("Close");
        Collector before = new Collector();
        CountDownLatch enough = new CountDownLatch(2_000);
        EventHandler counting = event -> {
            before.handle(event);
            enough.countDown();
            Thread.sleep(0, 200_000);
        };
        Subscription first = Subscription.start(config, counting);
        assertThat(enough.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        first.close();
        assertThat(before.count()).isLessThan(5_000);

        Collector after = nextMemberAfterTheClose(config, before);
        assertThat(before.count() + after.count()).isEqualTo(5_000);
    }

    @Test
    void aCloseInTheMiddleOfAHandedOverBatchCommitsExactlyTheEventsTheHandlerFinished() throws Exception {
        int total = 4_000;
        int finishedBeforeClose = 1_235;
        store.produce("Mid", 10, total, 100);
        SubscriptionConfig config = config("Mid");
        Collector before = new Collector();
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventHandler stopping = event -> {
            if (before.count() == finishedBeforeClose - 1) {
                // The poller handed this event over with hundreds of others of its partition, still unhandled.
                inHand.countDown();
                release.await();
            }
            before.handle(event);
        };
        Subscription first = Subscription.start(config, stopping);
        assertThat(inHand.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(first::close);
        closer.start();
        // Long enough for the poller to leave its loop and ask the handler thread to stop.
        Thread.sleep(1_000);
        release.countDown();
        closer.join(WAIT.toMillis());
        assertThat(first.isRunning()).isFalse();
        assertThat(before.count()).as("the event in hand is finished, and none after it").isEqualTo(finishedBeforeClose);

        Collector after = nextMemberAfterTheClose(config, before);
        assertThat(after.count()).as("the rest of the batch in hand is handled by the next member").isEqualTo(total - finishedBeforeClose);
    }

    @Test
    void aCloseThatWakesAWaitingPollStillCommitsEveryHandledEvent() throws Exception {
        store.produce("Woken", 4, 400, 100);
        SubscriptionConfig config = config("Woken");
        Collector before = new Collector();
        Subscription first = Subscription.start(config, before);
        first.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // Caught up, the poller waits in a poll of a topic with nothing new: close() wakes it, and the wakeup
        // must not cost the last commit (a wakeup raised outside a poll throws from the commit itself). Closed
        // once the poller is seen inside a poll (it spends all but a little of each 100 ms wait there).
        awaitPollerInAPoll(config.groupId());
        first.close();
        assertThat(first.isRunning()).isFalse();
        assertThat(first.failure()).isEmpty();
        assertThat(before.count()).isEqualTo(400);

        Collector after = nextMemberAfterTheClose(config, before);
        assertThat(after.count()).as("events the next member handles again").isZero();
    }

    @Test
    void closingTwiceOrAfterAFailureIsHarmless() throws Exception {
        Subscription subscription = Subscription.start(config("Twice"), new Collector());
        subscription.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        subscription.close();
        subscription.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
    }

    private static void awaitPollerInAPoll(String groupId) throws InterruptedException {
        String poller = "subscription-" + groupId;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!inAConsumerPoll(poller)) {
            assertThat(System.nanoTime()).as("%s never seen inside a poll", poller).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static boolean inAConsumerPoll(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals(threadName))
                .flatMap(thread -> Arrays.stream(thread.getValue()))
                .anyMatch(frame -> frame.getClassName().startsWith("org.apache.kafka.clients.consumer")
                        && frame.getMethodName().equals("poll"));
    }

    /** A new member of the group catches up; none of the events it handles was handled before the close. */
    private static Collector nextMemberAfterTheClose(SubscriptionConfig config, Collector before) throws Exception {
        Collector after = new Collector();
        try (Subscription second = Subscription.start(config, after)) {
            second.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        Set<String> overlap = new HashSet<>(before.distinct());
        overlap.retainAll(after.distinct());
        assertThat(overlap).as("events handled before the close and again after").isEmpty();
        return after;
    }

    private static List<ConsumerRecord<String, byte[]>> parkedBy(String groupId) {
        return store.readTopic(store.topics.deadLetters()).stream()
                .filter(r -> r.headers().lastHeader(DeadLetterHeaders.GROUP) != null)
                .filter(r -> header(r, DeadLetterHeaders.GROUP).equals(groupId))
                .toList();
    }

    private static String header(ConsumerRecord<?, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static long usedHeapAfterGc(Runtime runtime) {
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
