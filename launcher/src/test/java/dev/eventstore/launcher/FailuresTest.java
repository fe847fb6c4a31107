package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A server that stops answering while a command runs is named in the one-line error (exit 5), whatever wraps the cause. */
class FailuresTest {

    @Test
    void aLostPostgresConnectionUnderAReadIsPostgres() {
        RuntimeException read = new RuntimeException("reading $all failed", new SQLException("Connection refused", "08001"));
        RuntimeException pool = new RuntimeException("listing streams failed", new SQLTransientConnectionException("not available"));

        assertThat(Failures.serverThatDidNotAnswer(read)).contains(new Failures.Server("PostgreSQL", "jdbc.url"));
        assertThat(Failures.serverThatDidNotAnswer(pool)).contains(new Failures.Server("PostgreSQL", "jdbc.url"));
    }

    @Test
    void aKafkaClientTimeoutIsKafkaAndARegistryIoFailureIsTheRegistry() {
        Throwable kafka = new CompletionException(new org.apache.kafka.common.errors.TimeoutException("Timed out waiting"));
        Throwable registry = new SchemaRegistryException("schema registry unreachable", new ConnectException());

        assertThat(Failures.serverThatDidNotAnswer(kafka)).contains(new Failures.Server("Kafka", "kafka.bootstrap.servers"));
        assertThat(Failures.serverThatDidNotAnswer(registry)).contains(new Failures.Server("the schema registry", "schema.registry.url"));
    }

    @Test
    void aQueryErrorOrAnIoFailureElsewhereNamesNoServer() {
        assertThat(Failures.serverThatDidNotAnswer(new SQLException("relation does not exist", "42P01"))).isEmpty();
        assertThat(Failures.serverThatDidNotAnswer(new IOException("disk full"))).isEmpty();
    }

    @Test
    void aMessageSpreadOverLinesIsPrintedOnOne() {
        assertThat(Failures.oneLine(new SQLException("Connection refused.\n  Check that the hostname\tis right. "))).isEqualTo(
                "Connection refused. Check that the hostname is right.");
        assertThat(Failures.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
