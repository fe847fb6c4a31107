package dev.eventstore.schemas;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one running component (an indexer, a subscription member), read from it at each scrape,
 * tagged alike, and removed together when it closes so that a closed component leaves no stale series.
 */
public final class MeterGroup {

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();

    public MeterGroup(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    public <T> MeterGroup gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(description).tags(tags).register(registry));
        return this;
    }

    /** A counter whose value the source keeps (a monotonic total). */
    public <T> MeterGroup counter(String name, String description, T source, ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry));
        return this;
    }

    public void remove() {
        meters.forEach(registry::remove);
    }
}
