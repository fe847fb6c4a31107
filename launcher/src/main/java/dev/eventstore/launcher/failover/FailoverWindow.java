package dev.eventstore.launcher.failover;

import dev.eventstore.writer.load.ExactVersionLoad;
import java.time.Duration;
import java.util.List;

/** The unavailability window of a fault, from the acknowledgements of a load. */
final class FailoverWindow {

    private FailoverWindow() {}

    /**
     * The longest a writer waited, from the fault (or its append's first send, if later) to the acknowledgement,
     * among appends sent before {@code until}: how long the fault left some partition unanswered.
     */
    static Duration after(List<ExactVersionLoad.Ack> acks, long faultNanos, long untilNanos) {
        return Duration.ofNanos(acks.stream().filter(ack -> ack.ackedNanos() > faultNanos && ack.sentNanos() < untilNanos)
                .mapToLong(ack -> ack.ackedNanos() - Math.max(ack.sentNanos(), faultNanos)).max().orElse(0));
    }

    static Duration median(List<Duration> durations) {
        List<Duration> sorted = durations.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }
}
