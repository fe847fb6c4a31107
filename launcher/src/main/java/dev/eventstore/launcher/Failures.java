package dev.eventstore.launcher;

import dev.eventstore.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a command's failure says to a user, in one line. */
final class Failures {

    private Failures() {}

    /** Unwraps the wrappers futures put around the failure that matters. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The error's message on one line (drivers like to add hints on lines of their own). */
    static String oneLine(Throwable error) {
        String message = error.getMessage() == null || error.getMessage().isBlank() ? error.getClass().getSimpleName() : error.getMessage();
        return message.strip().replaceAll("\\s+", " ");
    }

    /**
     * The server that stopped answering while a command ran, found among the error's causes, with the
     * setting that holds its address: PostgreSQL (a connection failure, SQLState class 08), Kafka (a client
     * timeout) or the schema registry (an I/O failure of its client).
     */
    static Optional<Server> serverThatDidNotAnswer(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return Optional.of(new Server("PostgreSQL", "jdbc.url"));
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return Optional.of(new Server("Kafka", "kafka.bootstrap.servers"));
            }
            if (cause instanceof SchemaRegistryException && cause.getCause() instanceof IOException) {
                return Optional.of(new Server("the schema registry", "schema.registry.url"));
            }
        }
        return Optional.empty();
    }

    /** A server by name and the setting of its address. */
    record Server(String name, String addressKey) {}
}
