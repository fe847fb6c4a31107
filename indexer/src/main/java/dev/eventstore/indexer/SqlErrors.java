package dev.eventstore.indexer;

import java.sql.SQLException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Tells a failure caused by a row's content from one a retry can cure. Content errors (SQLState class 22,
 * data exception, and 54, a program limit such as a value too large) come back however often the same
 * rows are written: retrying them loops forever. Everything else (08 connection, 40001/40P01 serialization
 * and deadlock, 53 resources, 57P operator intervention, …) is transient and retried with backoff.
 */
final class SqlErrors {

    private static final Pattern COPY_LINE = Pattern.compile("COPY \\w+, line (\\d+)");

    private SqlErrors() {}

    static boolean isContentError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }

    /** The 0-based row of the COPY input that PostgreSQL refused, when the error names it ("COPY events, line 3"). */
    static OptionalInt copyRow(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                String where = server.getWhere();
                Matcher line = COPY_LINE.matcher(where == null ? "" : where);
                if (line.find()) {
                    return OptionalInt.of(Integer.parseInt(line.group(1)) - 1);
                }
            }
        }
        return OptionalInt.empty();
    }
}
