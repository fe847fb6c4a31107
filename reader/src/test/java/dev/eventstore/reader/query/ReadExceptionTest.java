package dev.eventstore.reader.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.reader.snapshot.InvalidSnapshotException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadExceptionTest {

    @Test
    void aReadThatFailedForAConditionThatPassesIsRetryable() {
        assertThat(failed(new SQLException("connection refused", "08001")).isRetryable()).isTrue();
        assertThat(failed(new SQLException("could not serialize access", "40001")).isRetryable()).isTrue();
        assertThat(failed(new SQLException("the database system is shutting down", "57P03")).isRetryable()).isTrue();
        assertThat(failed(new SQLTransientConnectionException("pool timed out")).isRetryable()).isTrue();
        assertThat(new IndexLagTimeoutException("Account-1", 3, 2, Duration.ofSeconds(1)).isRetryable()).isTrue();
    }

    @Test
    void aReadThatMetSomethingThatStaysWrongIsNotRetryable() {
        assertThat(failed(new SQLException("relation \"es.events\" does not exist", "42P01")).isRetryable()).isFalse();
        assertThat(failed(new SQLException("metadata column is not a JSON object of strings")).isRetryable()).isFalse();
        assertThat(new InvalidSnapshotException("stream Account-1 is indexed up to version 2").isRetryable()).isFalse();
    }

    private static ReadException failed(SQLException cause) {
        return new ReadException("reading failed: " + cause.getMessage(), cause);
    }
}
