package io.firebreak.storage;

import java.sql.SQLTransientException;

/**
 * The database answers, but this request could not get a connection (or its time ran out) before its deadline: the
 * transaction never started, or was rolled back, so nothing was written. Not an outage: try again.
 */
public final class StorageBusyException extends SQLTransientException {
    public StorageBusyException(String message) {
        super(message);
    }

    public StorageBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
