package io.orderhub.ingest.camel;

import io.orderhub.common.DatabaseFailures;
import io.orderhub.common.DeadLetterHeaders;
import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.jms.JmsIntake;
import io.orderhub.ops.FaultInjection;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link JmsIntake} for routes/jms-intake.camel.yaml: reads the JMS message, answers
 * with {@code {receiptId, status, orderIds, errors}} (the consumer sends it to JMSReplyTo with the
 * request's correlation id), and prepares a poison message for the dead letter queue.
 */
@Component("jmsIntakeAdapter")
public class JmsIntakeAdapter {

    /** JMS string properties a channel sets (DESIGN §6). */
    public static final String CHANNEL = "channel";
    public static final String FORMAT = "format";
    public static final String CONTENT_TYPE = "contentType";

    /** Headers a dead-lettered message carries (see DeadLetterHeaders). */
    public static final String FAILURE_REASON = DeadLetterHeaders.FAILURE_REASON;
    public static final String FAILURE_EXCEPTION = DeadLetterHeaders.FAILURE_EXCEPTION;
    public static final String FAILED_AT = DeadLetterHeaders.FAILED_AT;
    public static final String DELIVERY_COUNT = DeadLetterHeaders.DELIVERY_COUNT;
    public static final String ORIGINAL_QUEUE = DeadLetterHeaders.ORIGINAL_QUEUE;

    private static final String JMS_DELIVERY_COUNT = DeadLetterHeaders.JMS_DELIVERY_COUNT;
    /** Exchange property: the receipt an earlier attempt of this delivery stored (tried again in place). */
    static final String STORED_RECEIPT = "orderhubJmsReceiptId";

    private final JmsIntake intake;
    private final FaultInjection faults;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxDeliveries;
    private final String queue;

    public JmsIntakeAdapter(JmsIntake intake, FaultInjection faults, ObjectMapper json, Clock clock,
                            @Value("${orderhub.jms.inbound-max-deliveries}") int maxDeliveries,
                            @Value("${orderhub.jms.inbound-queue}") String queue) {
        this.intake = intake;
        this.faults = faults;
        this.json = json;
        this.clock = clock;
        this.maxDeliveries = maxDeliveries;
        this.queue = queue;
    }

    /** Stores and processes the message; the body becomes the JSON answer. */
    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        Object body = in.getBody();
        String channel = in.getHeader(CHANNEL, String.class);
        String format = in.getHeader(FORMAT, String.class);
        String contentType = in.getHeader(CONTENT_TYPE, String.class);
        // who sent it, as the broker validated it (never what the sender claims)
        String brokerUser = in.getHeader(io.orderhub.security.BrokerUsers.VALIDATED_USER, String.class);
        TransportAnswer answer;
        // an attempt tried again in place (waitForDatabase) goes on with the receipt the first one stored
        String stored = exchange.getProperty(STORED_RECEIPT, String.class);
        if (body instanceof String text) {
            answer = intake.receive(stored, brokerUser, channel, format, contentType, text, id -> exchange.setProperty(STORED_RECEIPT, id));
        } else if (body instanceof byte[] bytes) {
            answer = intake.receive(stored, brokerUser, channel, format, contentType, bytes, id -> exchange.setProperty(STORED_RECEIPT, id));
        } else {
            throw new UnreadableMessageException("the message is a " + kind(body)
                    + " and holds no document; send the document as a TextMessage or BytesMessage");
        }
        // the receipt and the order are committed; the message is not acknowledged until the route ends
        faults.afterCommit(FaultInjection.JMS_INTAKE);
        in.setBody(write(answer));
        // the answer carries the JMS correlation and nothing the sender put in properties (never echoed)
        in.removeHeaders("*", "JMS*");
    }

    private static String kind(Object body) {
        if (body == null) {
            return "message without body";
        }
        if (body instanceof java.util.Map) {
            return "MapMessage";
        }
        if (body instanceof java.io.InputStream || body instanceof java.util.List) {
            return "StreamMessage";
        }
        return "ObjectMessage (" + body.getClass().getName() + ")";
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
        io.orderhub.security.camel.DeadLetterRedaction.redact(in);
    }

    /** After the dead letter queue has the message: the sender is told so. */
    public void deadLetterAnswer(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the sender learns what it can fix (an unreadable message); any other failure's text (SQL, class names)
        // stays with the operators, in the dead letter's headers
        String reason = cause instanceof UnreadableMessageException ? cause.getMessage()
                : "the hub failed to process it; operators see the reason in the dead letter queue";
        exchange.getIn().setBody(write(intake.deadLettered(reason)));
    }

    private String write(TransportAnswer answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message whose body the hub cannot read as a document: poison, however often it is delivered. */
    public static class UnreadableMessageException extends RuntimeException {
        public UnreadableMessageException(String message) {
            super(message);
        }
    }
}
