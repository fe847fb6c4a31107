package dev.eventstore.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void dataExceptionsAndProgramLimitsAreTheRowsContentAndEverythingElseIsTransient() {
        for (String content : new String[] {"22P05", "22021", "22003", "22008", "54000", "54001"}) {
            assertThat(SqlErrors.isContentError(new SQLException("refused", content))).as(content).isTrue();
        }
        for (String transientState : new String[] {"08006", "08001", "40001", "40P01", "53100", "53300", "57P01", "57014", null}) {
            assertThat(SqlErrors.isContentError(new SQLException("failed", transientState))).as(transientState).isFalse();
        }
    }

    @Test
    void aFailureWithoutTheServersCopyContextNamesNoRow() {
        assertThat(SqlErrors.copyRow(new SQLException("refused", "22P05"))).isEmpty();
    }
}
