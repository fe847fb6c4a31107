package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppendLimitsTest {

    private static final String ID = "6f1c2a3e-1b2c-4d5e-8f90-0123456789ab";

    private final AppendLimits limits = new AppendLimits(20, 10, 3, 1000);

    @Test
    void aWellFormedAppendHasNoProblem() {
        assertThat(limits.problemWith(append("Account-1", event("Opened")))).isEmpty();
    }

    @Test
    void streamIdsMustBeNonEmptyBoundedAndFreeOfControlCharacters() {
        assertThat(limits.problemWith(append("", event("Opened")))).hasValue("stream id must not be empty");
        assertThat(limits.problemWith(append("A".repeat(21), event("Opened")))).hasValue("stream id is longer than 20 characters");
        assertThat(limits.problemWith(append("Account\n1", event("Opened")))).hasValue("stream id must not contain control characters");
    }

    @Test
    void aBlankOrWhitespaceWrappedIdentifierIsRefused() {
        assertThat(limits.problemWithStreamId(" ")).hasValue("stream id must not be blank");
        assertThat(limits.problemWithStreamId("\u00A0\u2003")).as("no-break and em spaces").hasValue("stream id must not be blank");
        assertThat(limits.problemWithStreamId(" Account-1")).hasValue("stream id must not start or end with whitespace");
        assertThat(limits.problemWithStreamId("Account-1\u3000")).hasValue("stream id must not start or end with whitespace");
        assertThat(limits.problemWithStreamId("Account 1")).as("a space inside").isEmpty();
        assertThat(limits.problemWithEventType("\t")).hasValue("event type must not be blank");
    }

    @Test
    void anIdentifierUtf8CannotCarryOrThatInvalidUtf8BecameIsRefusedNotAltered() {
        assertThat(limits.problemWithStreamId("Account-\uD800")).hasValue(
                "stream id holds an unpaired UTF-16 surrogate U+D800 at index 8 (UTF-8 cannot carry it)");
        assertThat(limits.problemWithStreamId("\uDC00Account")).get().asString().contains("U+DC00 at index 0");
        assertThat(limits.problemWithStreamId("Account-\uFFFD")).get().asString().contains("U+FFFD, the replacement character");
        assertThat(limits.problemWithStreamId("Account-\uD83D\uDE00")).as("a supplementary character, paired").isEmpty();
        assertThat(limits.problemWithEventType("Opened\uDBFF")).get().asString().contains("unpaired UTF-16 surrogate U+DBFF");
    }

    @Test
    void anIdentifierWithInvisibleOrControlCharactersIsRefused() {
        assertThat(limits.problemWithStreamId("Acc\u202Eount")).as("right-to-left override")
                .hasValue("stream id holds the invisible format character U+202E at index 3");
        assertThat(limits.problemWithStreamId("Acc\u200Bount")).as("zero-width space").get().asString().contains("U+200B");
        assertThat(limits.problemWithStreamId("Acc\u0085ount")).as("a C1 control").hasValue("stream id must not contain control characters");
        assertThat(limits.problemWithStreamId("Acc\u0000ount")).hasValue("stream id must not contain control characters");
    }

    @Test
    void anIdentifierMustBeInNormalFormCAndIsNeverNormalisedSilently() {
        assertThat(limits.problemWithStreamId("Caf\u00E9-1")).as("precomposed: NFC").isEmpty();
        assertThat(limits.problemWithStreamId("Cafe\u0301-1")).as("e + combining acute: not NFC")
                .hasValue("stream id is not in Unicode normal form C (NFC); send Normalizer.normalize(id, NFC)");
        assertThat(limits.problemWithEventType("\u212B")).as("the Angstrom sign, NFC is U+00C5").get().asString().contains("NFC");
        assertThat(limits.problemWithStreamId("Konto-\u05D0\u05D1")).as("Hebrew letters").isEmpty();
    }

    @Test
    void freeTextThatUtf8CannotCarryIsRefusedNotAltered() {
        EventData metadata = new EventData(ID, "Opened", framed(), Map.of("note", "a\uD800b"));
        assertThat(limits.problemWith(append("Account-1", metadata))).hasValue(
                "event 0: metadata note holds an unpaired UTF-16 surrogate U+D800 at index 1 (UTF-8 cannot carry it)");
        StreamAppend correlated = new StreamAppend("request-1", "Account-1", ExpectedVersionKind.ANY, 0L, "c\uDFFF", null,
                List.of(event("Opened")), null, null, null);
        assertThat(limits.problemWith(correlated)).get().asString().startsWith("correlation id holds an unpaired");
    }

    @Test
    void anAppendNeedsBetweenOneAndTheMaximumOfEvents() {
        assertThat(limits.problemWith(append("Account-1"))).hasValue("an append needs at least one event");
        assertThat(limits.problemWith(append("Account-1", event("A"), event("B"), event("C"), event("D"))))
                .hasValue("an append holds at most 3 events, not 4");
    }

    @Test
    void theDataSubjectIsTheOneReservedMetadataNameAClientSetsAndItIsCheckedAsAnIdentifier() {
        EventData named = new EventData(ID, "Opened", framed(), Map.of(EnvelopeHeaders.SUBJECT, "customer-7"));
        EventData empty = new EventData(ID, "Opened", framed(), Map.of(EnvelopeHeaders.SUBJECT, ""));
        EventData control = new EventData(ID, "Opened", framed(), Map.of(EnvelopeHeaders.SUBJECT, "customer\u00007"));

        assertThat(limits.problemWith(append("Account-1", named))).isEmpty();
        assertThat(limits.problemWith(append("Account-1", empty))).get().asString().contains("data subject must not be empty");
        assertThat(limits.problemWith(append("Account-1", control))).get().asString().contains("data subject");
    }

    @Test
    void eventsNeedATypeAFramedPayloadAndUnreservedMetadata() {
        assertThat(limits.problemWith(append("Account-1", event("")))).hasValue("event 0: event type must not be empty");
        assertThat(limits.problemWith(append("Account-1", event(" ")))).hasValue("event 0: event type must not be blank");
        EventData unframed = new EventData(ID, "Opened", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}), Map.of());
        assertThat(limits.problemWith(append("Account-1", unframed))).get().asString().contains("wire format");
        EventData reserved = new EventData(ID, "Opened", framed(), Map.of("es.stream", "x"));
        assertThat(limits.problemWith(append("Account-1", reserved))).get().asString().contains("reserved prefix");
        EventData badId = new EventData("not-a-uuid", "Opened", framed(), Map.of());
        assertThat(limits.problemWith(append("Account-1", badId))).hasValue("event 0: event id must be a UUID, not 'not-a-uuid'");
    }

    @Test
    void eventIdsAreUuidsInTheirCanonicalFormInEitherCase() {
        UUID random = UUID.randomUUID();
        assertThat(AppendLimits.isUuid(random.toString())).isTrue();
        assertThat(AppendLimits.isUuid(random.toString().toUpperCase(Locale.ROOT))).isTrue();
        assertThat(AppendLimits.isUuid("0193a0d2-7c4e-7b1a-9c3d-5e6f708192a3")).as("version 7").isTrue();
        assertThat(AppendLimits.isUuid(ID.replace('-', '0'))).as("no hyphens").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e1-b2c-4d5e-8f90-0123456789ab")).as("hyphen misplaced").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e-1b2c-4d5e-8f90-0123456789a")).as("too short").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e-1b2c-4d5e-8f90-0123456789abc")).as("too long").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e-1b2c-4d5e-8f90-0123456789ag")).as("not hexadecimal").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e-1b2c-4d5e-8f90-0123456789a\uFF10")).as("a fullwidth digit").isFalse();
        assertThat(AppendLimits.isUuid("6f1c2a3e-1b2c-4d5e-8f90-0123456789a\u0660")).as("an Arabic-Indic digit").isFalse();
        assertThat(AppendLimits.isUuid(null)).isFalse();
    }

    @Test
    void theEventsOfAnAppendHaveDistinctIds() {
        EventData first = new EventData(ID, "Opened", framed(), Map.of());
        EventData other = new EventData("0a1b2c3d-1b2c-4d5e-8f90-0123456789ab", "Deposited", framed(), Map.of());
        EventData sameIdUpperCase = new EventData(ID.toUpperCase(), "Deposited", framed(), Map.of());
        assertThat(limits.problemWith(append("Account-1", first, other))).isEmpty();
        assertThat(limits.problemWith(append("Account-1", first, other, sameIdUpperCase)))
                .hasValue("event 2: event id " + ID.toUpperCase() + " is also the id of event 0");
    }

    private static StreamAppend append(String streamId, EventData... events) {
        return new StreamAppend("request-1", streamId, ExpectedVersionKind.ANY, 0L, null, null, List.of(events), null, null, null);
    }

    private static EventData event(String type) {
        return new EventData(ID, type, framed(), Collections.emptyMap());
    }

    private static ByteBuffer framed() {
        return ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2});
    }
}
