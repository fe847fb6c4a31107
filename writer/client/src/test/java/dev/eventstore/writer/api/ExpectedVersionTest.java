package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.schemas.store.ExpectedVersionKind;
import org.junit.jupiter.api.Test;

class ExpectedVersionTest {

    @Test
    void theCommandLineFormsParseToTheClosedType() {
        assertThat(ExpectedVersion.parse("any")).isEqualTo(ExpectedVersion.any());
        assertThat(ExpectedVersion.parse("no-stream")).isEqualTo(ExpectedVersion.noStream());
        assertThat(ExpectedVersion.parse("exists")).isEqualTo(ExpectedVersion.streamExists());
        assertThat(ExpectedVersion.parse("7")).isEqualTo(ExpectedVersion.exactly(7));
    }

    @Test
    void anythingElseIsRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> ExpectedVersion.parse("seven")).hasMessageContaining("any, no-stream, exists or a number");
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVersionIsReadFromAsciiDigitsOnly() {
        assertThatThrownBy(() -> ExpectedVersion.parse("\u0661")).as("Arabic-Indic one")
                .hasMessage("expected version must be any, no-stream, exists or a number, not '\u0661'");
        assertThatThrownBy(() -> ExpectedVersion.parse("\uFF17")).as("fullwidth seven").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedVersion.parse("+7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedVersion.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWireFormRoundTrips() {
        for (ExpectedVersion expected : new ExpectedVersion[] {ExpectedVersion.any(), ExpectedVersion.noStream(),
                ExpectedVersion.streamExists(), ExpectedVersion.exactly(42)}) {
            assertThat(ExpectedVersionWire.of(ExpectedVersionWire.kindOf(expected), expected.version())).isEqualTo(expected);
        }
        assertThat(ExpectedVersionWire.kindOf(ExpectedVersion.exactly(3))).isEqualTo(ExpectedVersionKind.EXACT);
    }

    @Test
    void theConflictStatesStreamExpectedAndActual() {
        WrongExpectedVersionException conflict = new WrongExpectedVersionException("Order-1", ExpectedVersion.exactly(3), 5);
        assertThat(conflict.getMessage()).isEqualTo("Wrong expected version: 3 (stream: Order-1, actual version: 5)");
        assertThat(conflict.isRetryable()).isFalse();
    }
}
