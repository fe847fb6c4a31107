package dev.eventstore.indexer;

import dev.eventstore.schemas.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The span of one index batch. A batch holds events of many appends, so of many traces: it is a root span
 * linked to each traced event's context (the messaging conventions' batch receive), not a child of any.
 * With no OpenTelemetry configured the tracer is a no-op and the events' headers are not even read.
 */
final class IndexTracing {

    /** The SDK keeps 128 links per span by default; more would be dropped anyway. */
    static final int MAX_LINKS = 128;
    private final Tracer tracer;

    IndexTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(TraceContext.INSTRUMENTATION);
    }

    Span start(ConsumerRecords<byte[], byte[]> records) {
        Span batch = tracer.spanBuilder("eventstore index batch").setNoParent().setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.batch.message_count", (long) records.count()).startSpan();
        if (!batch.isRecording()) {
            return batch; // no SDK, or not sampled: the headers are not even read
        }
        int links = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Optional<SpanContext> traced = TraceContext.of(record.headers()).map(TraceContext::spanContext)
                    .filter(SpanContext::isValid);
            if (traced.isPresent() && links++ < MAX_LINKS) {
                batch.addLink(traced.get());
            }
        }
        return batch;
    }
}
