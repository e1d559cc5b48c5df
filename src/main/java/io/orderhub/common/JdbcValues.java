package io.orderhub.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Column values as the JDBC drivers hand them back (H2 and PostgreSQL differ for timestamps). */
public final class JdbcValues {

    private JdbcValues() {
    }

    /** A {@code timestamp with time zone} column read through {@code queryForList}, or null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return Instant.parse(value.toString());
    }
}
