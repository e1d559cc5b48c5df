package io.orderhub.ingest.camel;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.DatabaseFailures;
import io.orderhub.common.DeadLetterHeaders;
import io.orderhub.ingest.jms.JmsIntake;
import io.orderhub.security.camel.DeadLetterRedaction;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A JMS order message that fails on every delivery (routes/jms-intake.camel.yaml, routeConfiguration
 * jmsIntakeErrors): recognised on its last delivery, given the reason headers and moved to the dead letter queue; the
 * sender is told so. The database being away never makes a message poison (it is waited out in place).
 */
@Component("jmsDeadLetters")
public class JmsDeadLetters {

    /** Headers a dead-lettered message carries (see DeadLetterHeaders). */
    public static final String FAILURE_REASON = DeadLetterHeaders.FAILURE_REASON;
    public static final String FAILURE_EXCEPTION = DeadLetterHeaders.FAILURE_EXCEPTION;
    public static final String FAILED_AT = DeadLetterHeaders.FAILED_AT;
    public static final String DELIVERY_COUNT = DeadLetterHeaders.DELIVERY_COUNT;
    public static final String ORIGINAL_QUEUE = DeadLetterHeaders.ORIGINAL_QUEUE;

    private static final String JMS_DELIVERY_COUNT = DeadLetterHeaders.JMS_DELIVERY_COUNT;

    private final JmsIntake intake;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxDeliveries;
    private final String queue;

    public JmsDeadLetters(JmsIntake intake, ObjectMapper json, Clock clock,
                          @Value("${orderhub.jms.inbound-max-deliveries}") int maxDeliveries,
                          @Value("${orderhub.jms.inbound-queue}") String queue) {
        this.intake = intake;
        this.json = json;
        this.clock = clock;
        this.maxDeliveries = maxDeliveries;
        this.queue = queue;
    }

    /**
     * True on the last delivery the hub tries before the message goes to the dead letter queue. A failure
     * because the database is away never makes a message poison (it is waited out: waitForDatabase).
     */
    public boolean lastDelivery(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (DatabaseFailures.unavailable(failure)) {
            return false;
        }
        Integer count = exchange.getIn().getHeader(JMS_DELIVERY_COUNT, Integer.class);
        return count != null && count >= maxDeliveries;
    }

    /** Adds the reason headers to a message that failed on every delivery. */
    public void deadLetter(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        String reason = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        in.setHeader(FAILURE_REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        in.setHeader(FAILURE_EXCEPTION, cause == null ? null : cause.getClass().getName());
        in.setHeader(FAILED_AT, clock.instant().toString());
        in.setHeader(DELIVERY_COUNT, in.getHeader(JMS_DELIVERY_COUNT, Integer.class));
        in.setHeader(ORIGINAL_QUEUE, queue);
        DeadLetterRedaction.redact(in);
    }

    /** After the dead letter queue has the message: the sender is told so. */
    public void deadLetterAnswer(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the sender learns what it can fix (an unreadable message); any other failure's text (SQL, class names)
        // stays with the operators, in the dead letter's headers
        String reason = cause instanceof JmsIntakeAdapter.UnreadableMessageException ? cause.getMessage()
                : "the hub failed to process it; operators see the reason in the dead letter queue";
        exchange.getIn().setBody(JmsIntakeAdapter.write(json, intake.deadLettered(reason)));
    }
}
