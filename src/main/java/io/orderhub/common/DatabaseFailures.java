package io.orderhub.common;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure because the database is away (stopped, restarting, failed over, unreachable, out of
 * connections) from every other failure. Such a failure is not the fault of the request or message being
 * worked on: the same work succeeds once the database is back, so it is answered 503 with Retry-After (REST)
 * or waited out in place (JMS consumers), never counted towards a message's poison limit.
 * <p>
 * The whole cause chain is looked at, since the database's answer may come wrapped: a
 * {@code TransactionSystemException} ("JDBC commit/rollback failed") around a broken connection, a
 * Hikari timeout inside {@code CannotCreateTransactionException}, the application exception a failed rollback
 * overrode. SQL states: class 08 (connection
 * exception), 57P01–57P03 (administrator shutdown, crash shutdown, cannot connect now: the server is
 * starting or stopping) and 53300 (too many connections).
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** True when {@code failure} or one of its causes says the database cannot be reached right now. */
    public static boolean unavailable(Throwable failure) {
        return cause(failure) != null;
    }

    /** The first throwable of the chain that shows the database away, or null. */
    public static Throwable cause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return t;
            }
            if (t instanceof SQLException sql && unavailableState(sql.getSQLState())) {
                return t;
            }
            if (t instanceof TransactionSystemException tse) {
                // commit or rollback failed: the failure that made the transaction roll back tells why, and a
                // stateless SQLException here is the pool's closed connection (it evicted one the server broke)
                if (tse.getApplicationException() != null && unavailable(tse.getApplicationException())) {
                    return t;
                }
                if (tse.getCause() instanceof SQLException sql && sql.getSQLState() == null) {
                    return t;
                }
            }
        }
        return null;
    }

    /** A short description for logs: the throwable that shows the outage, with its SQL state when it has one. */
    public static String describe(Throwable failure) {
        Throwable t = cause(failure);
        if (t == null) {
            return String.valueOf(failure);
        }
        SQLException sql = null;
        Throwable c = t;
        for (int depth = 0; c != null && sql == null && depth < 20; depth++, c = c.getCause()) {
            sql = c instanceof SQLException s ? s : null;
        }
        return t.getClass().getSimpleName() + (sql != null && sql.getSQLState() != null ? " (SQL state "
                + sql.getSQLState() + ")" : "") + ": " + t.getMessage();
    }

    static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }
}
