package dev.eventstore.indexer;

import java.sql.SQLException;

/**
 * PostgreSQL refused rows stripped to their ids, version and payload bytes: no retry can help, and
 * skipping them would leave the index unequal to the log, so the indexer stops and says why.
 */
final class UnstorableRowException extends RuntimeException {

    UnstorableRowException(String message, SQLException cause) {
        super(message, cause);
    }
}
