package io.orderhub.ops.camel;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.common.DatabaseFailures;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The decision of routes/database-outage.camel.yaml ({@code waitForDatabase}): whether a failed step of a
 * transacted JMS consumer failed because the database is away ({@link DatabaseFailures}). Such a step is
 * tried again in place, with backoff and without limit, while its message stays in the consumer's open JMS
 * transaction; the message is not rolled back, so its delivery count does not grow and no outage, however
 * long, makes it a dead letter. Logs a warning at most every 10 s while it happens, and counts the waits
 * ({@code orderhub.database.unavailable.retries}, by route).
 */
@Component("databaseOutage")
public class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final MeterRegistry meters;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public DatabaseOutage(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The onWhen of {@code waitForDatabase}: true when the exchange failed because the database is away. */
    public boolean unavailable(Exchange exchange) {
        Throwable failure = failure(exchange);
        if (!DatabaseFailures.unavailable(failure)) {
            return false;
        }
        String route = ExchangeHelper.getRouteId(exchange);
        meters.counter("orderhub.database.unavailable.retries", "route", String.valueOf(route)).increment();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("database unavailable ({}): route {} and the other JMS consumers keep their messages and try again "
                    + "with backoff until it is back", DatabaseFailures.describe(failure), route);
        }
        return true;
    }

    /** The failure an error handler is deciding about. */
    static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
