package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A handler that keeps what it was given, in order, and can wait for a number of distinct events. */
class Collector implements EventHandler {

    private final List<RecordedEvent> events = new ArrayList<>();
    private final Set<String> distinct = new HashSet<>();

    @Override
    public synchronized void handle(RecordedEvent event) throws Exception {
        events.add(event);
        distinct.add(key(event));
        notifyAll();
    }

    static String key(RecordedEvent event) {
        return event.streamId() + "@" + event.version();
    }

    synchronized List<RecordedEvent> events() {
        return List.copyOf(events);
    }

    synchronized Set<String> distinct() {
        return Set.copyOf(distinct);
    }

    synchronized int count() {
        return events.size();
    }

    synchronized void awaitDistinct(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("received " + distinct.size() + " of " + count + " events in " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Per stream, the versions in the order they were handled. */
    synchronized Map<String, List<Long>> versionsByStream() {
        Map<String, List<Long>> byStream = new HashMap<>();
        for (RecordedEvent event : events) {
            byStream.computeIfAbsent(event.streamId(), s -> new ArrayList<>()).add(event.version());
        }
        return byStream;
    }
}
