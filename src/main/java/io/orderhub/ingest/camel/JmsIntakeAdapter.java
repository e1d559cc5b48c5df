package io.orderhub.ingest.camel;

import io.orderhub.common.DatabaseFailures;
import io.orderhub.common.DeadLetterHeaders;
import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.TransportIntake;
import io.orderhub.ingest.jms.JmsIntake;
import io.orderhub.common.AfterCommitHook;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JmsIntakeAdapter.class);

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
    /** Exchange property: the stored document on its way through the steps ({@link DocumentIntake}). */
    public static final String DOCUMENT = "orderhubIntake";
    /** Exchange property: the mapping file the recognise step found; the map step's parameter in the route. */
    public static final String MAPPING = "orderhubMapping";

    private final JmsIntake intake;
    private final TransportIntake steps;
    private final AfterCommitHook faults;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxDeliveries;
    private final String queue;
    private final java.util.List<String> hubOnly;

    /** Exchange properties: where the answer goes, with which correlation id, or why it does not go there. */
    static final String ANSWER_TO = "orderhubJmsAnswerTo";
    static final String ANSWER_CORRELATION = "orderhubJmsAnswerCorrelation";
    static final String ANSWER_REFUSED = "orderhubJmsAnswerRefused";
    /** The message id an AMQP 1.0 sender gave its message (the broker's AMQP to core conversion keeps it here). */
    static final String AMQP_MESSAGE_ID = "NATIVE_MESSAGE_ID";

    public JmsIntakeAdapter(JmsIntake intake, AfterCommitHook faults, ObjectMapper json, Clock clock,
                            @Value("${orderhub.jms.inbound-max-deliveries}") int maxDeliveries,
                            @Value("${orderhub.jms.inbound-queue}") String queue,
                            io.orderhub.config.BrokerQueues brokerQueues, org.springframework.core.env.Environment env,
                            TransportIntake steps) {
        this.steps = steps;
        this.hubOnly = io.orderhub.config.EmbeddedBrokerConfig.hubOnlyAddresses(brokerQueues, env);
        this.intake = intake;
        this.faults = faults;
        this.json = json;
        this.clock = clock;
        this.maxDeliveries = maxDeliveries;
        this.queue = queue;
    }

    /**
     * Before anything else: where the sender wants its answer ({@code JMSReplyTo}) and the correlation id it gets: the
     * request's correlation id, else the message id the sender knows (an AMQP 1.0 sender's own message-id, a JMS or
     * STOMP sender's JMSMessageID). A reply-to given as a plain name (a STOMP {@code reply-to: replies.x}, an AMQP
     * address without a type) is answered as a queue (anycast). The hub's own addresses are never answered to.
     */
    public void addressAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        Object replyTo = in.getHeader("JMSReplyTo");
        if (!(replyTo instanceof jakarta.jms.Destination destination)) {
            return;
        }
        String correlation = in.getHeader("JMSCorrelationID", String.class);
        if (correlation == null || correlation.isEmpty()) {
            correlation = in.getHeader(AMQP_MESSAGE_ID, String.class);
        }
        if (correlation == null || correlation.isEmpty()) {
            correlation = in.getHeader("JMSMessageID", String.class);
        }
        exchange.setProperty(ANSWER_CORRELATION, correlation);
        jakarta.jms.Destination target = asQueueWhenPlain(destination);
        exchange.setProperty(ANSWER_TO, target);
        String refusal = JmsIntake.answerRefusal(address(target), hubOnly, queue);
        if (refusal != null) {
            exchange.setProperty(ANSWER_REFUSED, refusal);
        }
    }

    /** True when the sender asked for an answer. */
    public boolean answerWanted(Exchange exchange) {
        return exchange.getProperty(ANSWER_TO) != null;
    }

    /** The answer message: the body as it is, the correlation id, the destination; nothing else of the request. */
    public void prepareAnswer(Exchange exchange) {
        String refused = exchange.getProperty(ANSWER_REFUSED, String.class);
        if (refused != null) {
            throw new AnswerRefusedException(refused);
        }
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader("JMSCorrelationID", exchange.getProperty(ANSWER_CORRELATION, String.class));
        in.setHeader(org.apache.camel.component.jms.JmsConstants.JMS_DESTINATION, exchange.getProperty(ANSWER_TO));
    }

    /**
     * The answer could not be sent: logged and kept on the receipt; the request is still acknowledged (its order
     * stands), never redelivered or dead-lettered for it.
     */
    public void answerFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        String receiptId = exchange.getProperty(STORED_RECEIPT, String.class);
        String to = address((jakarta.jms.Destination) exchange.getProperty(ANSWER_TO));
        LOG.warn("JMS answer for receipt {} not delivered to {}: {} (the receipt's decision stands; the message is "
                + "acknowledged, not dead-lettered)", receiptId, to, reason);
        intake.answerUndelivered(receiptId, to, reason);
    }

    static jakarta.jms.Destination asQueueWhenPlain(jakarta.jms.Destination destination) {
        if (destination instanceof org.apache.activemq.artemis.jms.client.ActiveMQDestination d
                && d.getType() == org.apache.activemq.artemis.jms.client.ActiveMQDestination.TYPE.DESTINATION) {
            // a name without a type (STOMP reply-to, AMQP address): a queue, as a client that names one reads it
            return org.apache.activemq.artemis.jms.client.ActiveMQDestination.createQueue(d.getAddress());
        }
        return destination;
    }

    static String address(jakarta.jms.Destination destination) {
        if (destination == null) {
            return null;
        }
        if (destination instanceof org.apache.activemq.artemis.jms.client.ActiveMQDestination d) {
            return d.getAddress();
        }
        try {
            if (destination instanceof jakarta.jms.Queue q) {
                return q.getQueueName();
            }
            if (destination instanceof jakarta.jms.Topic t) {
                return t.getTopicName();
            }
        } catch (jakarta.jms.JMSException e) {
            return destination.toString();
        }
        return destination.toString();
    }

    /*
     * The intake's steps (routes/jms-intake.camel.yaml), one bean call each on the same exchange. The stored document
     * goes from step to step as an object (exchange property orderhubIntake); once a step has decided it (refused),
     * the later steps pass it by and the answer tells the sender.
     */

    /**
     * Store the receipt: the message's document (a TextMessage's text or a BytesMessage's bytes, which become the
     * body) is stored and committed before anything else. Tried again in place after its commit, it stores nothing.
     */
    public void storeReceipt(Exchange exchange) {
        if (exchange.getProperty(STORED_RECEIPT) != null) {
            return;
        }
        Message in = exchange.getIn();
        byte[] document = document(in.getBody());
        in.setBody(document);
        exchange.setProperty(STORED_RECEIPT,
                intake.store(in.getHeader(CHANNEL, String.class), in.getHeader(CONTENT_TYPE, String.class), document));
    }

    /** Check the sender: the channel it names, the broker user who sent it (as the broker validated it), the size. */
    public void checkSender(Exchange exchange) {
        Message in = exchange.getIn();
        exchange.setProperty(DOCUMENT, intake.check(exchange.getProperty(STORED_RECEIPT, String.class),
                in.getHeader(io.orderhub.security.BrokerUsers.VALIDATED_USER, String.class),
                in.getHeader(CHANNEL, String.class), in.getHeader(FORMAT, String.class),
                in.getHeader(CONTENT_TYPE, String.class), in.getBody(byte[].class)));
    }

    /** Recognise the format (or take the one named); exchange property orderhubMapping names its mapping file. */
    public void recognise(Exchange exchange) {
        DocumentIntake document = document(exchange);
        steps.recognise(document);
        exchange.setProperty(MAPPING, document.mapping());
    }

    /** Map the document with {@code mapping}, a file under mappings/ (null: the format's own choice). */
    public void map(Exchange exchange, String mapping) {
        steps.map(document(exchange), mapping);
    }

    /** Validate each mapped order. */
    public void validate(Exchange exchange) {
        steps.validate(document(exchange));
    }

    /** Create the orders; the receipt records the outcome. */
    public void create(Exchange exchange) {
        steps.create(document(exchange));
    }

    /** The answer {@code {receiptId, status, orderIds, errors}} becomes the body, read from the receipt. */
    public void answer(Exchange exchange) {
        TransportAnswer answer = steps.answer(document(exchange));
        // the receipt and the order are committed; the message is not acknowledged until the route ends
        faults.afterCommit(AfterCommitHook.JMS_INTAKE);
        Message in = exchange.getIn();
        in.setBody(write(answer));
        // the answer carries the JMS correlation and nothing the sender put in properties (never echoed)
        in.removeHeaders("*", "JMS*");
    }

    private static DocumentIntake document(Exchange exchange) {
        return exchange.getProperty(DOCUMENT, DocumentIntake.class);
    }

    private static byte[] document(Object body) {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String text) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new UnreadableMessageException("the message is a " + kind(body)
                + " and holds no document; send the document as a TextMessage or BytesMessage");
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

    /** The sender named a reply-to the hub does not answer to. */
    public static class AnswerRefusedException extends RuntimeException {
        public AnswerRefusedException(String message) {
            super(message);
        }
    }

    /** A message whose body the hub cannot read as a document: poison, however often it is delivered. */
    public static class UnreadableMessageException extends RuntimeException {
        public UnreadableMessageException(String message) {
            super(message);
        }
    }
}
