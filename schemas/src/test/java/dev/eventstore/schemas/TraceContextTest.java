package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

    @Test
    void aWellFormedTraceparentNamesTheRemoteSpanWithItsTraceState() {
        TraceContext context = TraceContext.of(TRACEPARENT, "vendor=a,other=b").orElseThrow();

        SpanContext span = context.spanContext();
        assertThat(context.isValid()).isTrue();
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(span.isRemote()).isTrue();
        assertThat(span.isSampled()).isTrue();
        assertThat(span.getTraceState().get("vendor")).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-" + TRACE_ID + "-" + SPAN_ID, "00-00000000000000000000000000000000-" + SPAN_ID + "-01",
            "00-" + TRACE_ID + "-0000000000000000-01", "00-" + TRACE_ID + "-" + SPAN_ID + "-zz", "ff-" + TRACE_ID + "-" + SPAN_ID + "-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN_ID + "-01"})
    void aMalformedTraceparentIsInvalidAndGivesTheRootContextAsParent(String traceParent) {
        TraceContext context = TraceContext.of(traceParent, "vendor=a").orElseThrow();

        assertThat(context.isValid()).isFalse();
        assertThat(Span.fromContext(context.asParent()).getSpanContext().isValid()).isFalse();
    }

    @Test
    void anAbsentTraceparentIsNoContextEvenWithATraceState() {
        assertThat(TraceContext.of(null, "vendor=a")).isEmpty();
        assertThat(TraceContext.of(new RecordHeaders())).isEmpty();
    }

    @Test
    void theContextOfTheCurrentSpanIsWrittenAsW3CHeadersAndReadBack() {
        SpanContext span = SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.builder().put("vendor", "a").build());
        TraceContext written = TraceContext.of(Context.root().with(Span.wrap(span))).orElseThrow();
        RecordHeaders headers = new RecordHeaders();

        written.putInto(headers);

        assertThat(written).isEqualTo(new TraceContext(TRACEPARENT, Optional.of("vendor=a")));
        assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(TRACEPARENT);
        assertThat(new String(headers.lastHeader("tracestate").value(), StandardCharsets.UTF_8)).isEqualTo("vendor=a");
        assertThat(TraceContext.of(headers)).contains(written);
    }

    @Test
    void aContextWithoutASpanPropagatesNothing() {
        assertThat(TraceContext.of(Context.root())).isEmpty();
    }

    @Test
    void anEmptyTraceStateIsNoTraceStateAndWritesNoHeader() {
        RecordHeaders headers = new RecordHeaders();

        TraceContext.of(TRACEPARENT, "").orElseThrow().putInto(headers);

        assertThat(headers.lastHeader("tracestate")).isNull();
        assertThat(TraceContext.of(headers).orElseThrow().traceState()).isEmpty();
    }
}
