package dev.eventstore.writer.gate;

import static dev.eventstore.schemas.store.ExpectedVersionKind.ANY;
import static dev.eventstore.schemas.store.ExpectedVersionKind.EXACT;
import static dev.eventstore.schemas.store.ExpectedVersionKind.NO_STREAM;
import static dev.eventstore.schemas.store.ExpectedVersionKind.STREAM_EXISTS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionDecisionTest {

    @Test
    void aNewStreamAcceptsNoStreamAndNumbersEventsFromOne() {
        assertThat(VersionDecision.decide(0, NO_STREAM, 0, 3)).isEqualTo(new VersionDecision.Append(1, 3));
    }

    @Test
    void anExistingStreamRefusesNoStreamWithItsActualVersion() {
        assertThat(VersionDecision.decide(4, NO_STREAM, 0, 1)).isEqualTo(new VersionDecision.Conflict(4));
    }

    @Test
    void anyIsAcceptedWhateverTheVersion() {
        assertThat(VersionDecision.decide(0, ANY, 0, 1)).isEqualTo(new VersionDecision.Append(1, 1));
        assertThat(VersionDecision.decide(9, ANY, 0, 2)).isEqualTo(new VersionDecision.Append(10, 11));
    }

    @Test
    void streamExistsNeedsAtLeastOneEvent() {
        assertThat(VersionDecision.decide(0, STREAM_EXISTS, 0, 1)).isEqualTo(new VersionDecision.Conflict(0));
        assertThat(VersionDecision.decide(2, STREAM_EXISTS, 0, 1)).isEqualTo(new VersionDecision.Append(3, 3));
    }

    @Test
    void exactIsAcceptedOnlyAtThatVersion() {
        assertThat(VersionDecision.decide(5, EXACT, 5, 2)).isEqualTo(new VersionDecision.Append(6, 7));
        assertThat(VersionDecision.decide(5, EXACT, 4, 1)).isEqualTo(new VersionDecision.Conflict(5));
        assertThat(VersionDecision.decide(5, EXACT, 6, 1)).isEqualTo(new VersionDecision.Conflict(5));
    }

    @Test
    void exactZeroMeansTheStreamMustNotExist() {
        assertThat(VersionDecision.decide(0, EXACT, 0, 1)).isEqualTo(new VersionDecision.Append(1, 1));
        assertThat(VersionDecision.decide(1, EXACT, 0, 1)).isEqualTo(new VersionDecision.Conflict(1));
    }
}
