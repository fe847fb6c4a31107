package dev.eventstore.indexer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * An indexer's meters, read from it at each scrape and tagged with its group:
 * {@code eventstore.indexer.lag.events} (total over its partitions), {@code eventstore.indexer.lag.seconds}
 * (age of the oldest event not yet indexed), {@code eventstore.indexer.events} (indexed since start) and
 * {@code eventstore.indexer.degraded.events} (of those, indexed with a form left out or escaped).
 */
final class IndexerMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters;

    IndexerMeters(MeterRegistry registry, Indexer indexer, String group) {
        this.registry = registry;
        this.meters = List.of(
                Gauge.builder("eventstore.indexer.lag.events", indexer, i -> i.lag().totalEvents())
                        .description("events in the log not yet in PostgreSQL").tag("group", group).register(registry),
                Gauge.builder("eventstore.indexer.lag.seconds", indexer, i -> i.lag().maxMillis() / 1000.0)
                        .description("age of the oldest event not yet in PostgreSQL").tag("group", group).register(registry),
                FunctionCounter.builder("eventstore.indexer.events", indexer, Indexer::indexedEvents)
                        .description("events written to PostgreSQL by this instance").tag("group", group).register(registry),
                FunctionCounter.builder("eventstore.indexer.degraded.events", indexer, Indexer::degradedEvents)
                        .description("events indexed with a form left out or escaped (see the events table's degraded column)")
                        .tag("group", group).register(registry));
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
