package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** The failures that mean "the database is away", as PostgreSQL, the driver, Hikari and Spring report them. */
class DatabaseFailuresTest {

    static final SQLException ADMIN_SHUTDOWN = new SQLException("FATAL: terminating connection due to administrator command",
            "57P01");
    static final SQLException REFUSED = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");

    @Test
    void theDatabaseAwayInEveryWrapping() {
        // PostgreSQL stopping (pg_ctl stop -m fast): the session is terminated under a running statement
        assertThat(DatabaseFailures.unavailable(new DataAccessResourceFailureException("PreparedStatementCallback",
                ADMIN_SHUTDOWN))).isTrue();
        // stopped: the pool cannot open a connection within its timeout
        assertThat(DatabaseFailures.unavailable(new CannotCreateTransactionException("Could not open JDBC Connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001", REFUSED))))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("request timed out after 5000ms")))).isTrue();
        // starting again: "the database system is starting up"
        assertThat(DatabaseFailures.unavailable(new RuntimeException(new SQLException("starting up", "57P03")))).isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("too many connections", "53300"))).isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("An I/O error occurred while sending to the backend",
                "08006"))).isTrue();
    }

    @Test
    void aRollbackOnABrokenConnectionIsTheDatabaseAway() {
        // Hikari evicted the connection the server broke: its proxy answers rollback() without an SQL state
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        assertThat(DatabaseFailures.unavailable(rollbackFailed)).isTrue();
        // the failure that made it roll back tells it too
        TransactionSystemException overridden = new TransactionSystemException("JDBC commit failed",
                new IllegalStateException("driver state"));
        overridden.initApplicationException(new DataAccessResourceFailureException("update", ADMIN_SHUTDOWN));
        assertThat(DatabaseFailures.unavailable(overridden)).isTrue();
    }

    @Test
    void otherFailuresAreNotTheDatabaseAway() {
        assertThat(DatabaseFailures.unavailable(null)).isFalse();
        assertThat(DatabaseFailures.unavailable(new DuplicateKeyException("orders_channel_external_id"))).isFalse();
        assertThat(DatabaseFailures.unavailable(new DataIntegrityViolationException("value too long",
                new SQLException("value too long for type character varying(20)", "22001")))).isFalse();
        assertThat(DatabaseFailures.unavailable(OrderHubException.field(Problem.INVALID, "/lines", "is empty"))).isFalse();
        assertThat(DatabaseFailures.unavailable(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseFailures.unavailable(new TransactionSystemException("JDBC commit failed",
                new IllegalStateException("not an SQL failure")))).isFalse();
    }

    @Test
    void aCycleInTheCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DatabaseFailures.unavailable(a)).isFalse();
        assertThat(DatabaseFailures.describe(new DataAccessResourceFailureException("x", ADMIN_SHUTDOWN)))
                .contains("57P01");
    }
}
