package dev.eventstore.reader.subscription;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * A subscription member's meters, read at each scrape and tagged with its group:
 * {@code eventstore.subscription.lag.events} and {@code eventstore.subscription.buffered.events}.
 */
final class SubscriptionMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters;

    SubscriptionMeters(MeterRegistry registry, Subscription subscription, String group) {
        this.registry = registry;
        this.meters = List.of(
                Gauge.builder("eventstore.subscription.lag.events", subscription, s -> s.lag().totalEvents())
                        .description("events in the log this member has not handled yet").tag("group", group).register(registry),
                Gauge.builder("eventstore.subscription.buffered.events", subscription, Subscription::bufferedEvents)
                        .description("events fetched and waiting for the handler").tag("group", group).register(registry));
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
