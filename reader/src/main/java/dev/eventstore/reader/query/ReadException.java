package dev.eventstore.reader.query;

import dev.eventstore.schemas.EventStoreException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** A query of the index failed (database unreachable, schema missing, …). */
public class ReadException extends EventStoreException {

    /**
     * SQLState classes of conditions that pass: connection (08), transaction rollback such as a
     * serialization failure (40), insufficient resources (53), operator intervention such as a restart (57).
     */
    private static final Set<String> PASSING_STATE_CLASSES = Set.of("08", "40", "53", "57");

    public ReadException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the database could not be reached or gave up for a reason that passes (or the wait was
     * interrupted); false when the query met something that stays wrong (a missing schema or table, a
     * row it cannot read).
     */
    @Override
    public boolean isRetryable() {
        if (!(getCause() instanceof SQLException sql)) {
            return true;
        }
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
            return true;
        }
        String state = sql.getSQLState();
        return state != null && state.length() >= 2 && PASSING_STATE_CLASSES.contains(state.substring(0, 2));
    }
}
