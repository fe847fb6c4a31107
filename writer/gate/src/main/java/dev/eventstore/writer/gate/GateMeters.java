package dev.eventstore.writer.gate;

import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppendResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The gate's decisions as Micrometer counters, tagged with the gate's application id:
 * {@code eventstore.gate.appends{outcome}} and {@code eventstore.gate.events}. They count decisions as
 * they are made; a decision of a transaction that aborts is made again after it, and counted again.
 */
final class GateMeters {

    private final Map<AppendOutcome, Counter> appends = new EnumMap<>(AppendOutcome.class);
    private final Counter duplicates;
    private final Counter events;
    private final Counter malformedTraceContexts;

    GateMeters(MeterRegistry registry, String gate) {
        for (AppendOutcome outcome : AppendOutcome.values()) {
            appends.put(outcome, Counter.builder("eventstore.gate.appends").description("appends decided by the gate")
                    .tag("gate", gate).tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        duplicates = Counter.builder("eventstore.gate.appends").description("appends decided by the gate")
                .tag("gate", gate).tag("outcome", "duplicate").register(registry);
        events = Counter.builder("eventstore.gate.events").description("events appended")
                .tag("gate", gate).register(registry);
        malformedTraceContexts = Counter.builder("eventstore.gate.trace.malformed")
                .description("appends whose traceparent was malformed and ignored").tag("gate", gate).register(registry);
    }

    void malformedTraceContext() {
        malformedTraceContexts.increment();
    }

    /** @param change whether the result is a lifecycle change's (counted as decided, with no events) */
    void decided(AppendResult result, boolean change) {
        if (result.getDuplicate()) {
            duplicates.increment();
            return;
        }
        appends.get(result.getOutcome()).increment();
        if (result.getOutcome() == AppendOutcome.APPENDED && !change) {
            events.increment(result.getLastVersion() - result.getFirstVersion() + 1);
        }
    }
}
