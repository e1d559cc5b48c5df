package io.orderhub.ingest.camel;

import io.orderhub.config.BrokerQueues;
import io.orderhub.config.EmbeddedBrokerConfig;
import io.orderhub.ingest.jms.JmsIntake;
import jakarta.jms.Destination;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The JMS intake's answer to its sender (routes/jms-intake.camel.yaml, route answerJmsSender): where it goes
 * ({@code JMSReplyTo}), with which correlation id, never to the hub's own addresses; an answer that cannot be sent is
 * kept on the receipt and does not fail the message.
 */
@Component("jmsReplies")
public class JmsReplies {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JmsReplies.class);

    /** Exchange properties: where the answer goes, with which correlation id, or why it does not go there. */
    static final String ANSWER_TO = "orderhubJmsAnswerTo";
    static final String ANSWER_CORRELATION = "orderhubJmsAnswerCorrelation";
    static final String ANSWER_REFUSED = "orderhubJmsAnswerRefused";
    /** The message id an AMQP 1.0 sender gave its message (the broker's AMQP to core conversion keeps it here). */
    static final String AMQP_MESSAGE_ID = "NATIVE_MESSAGE_ID";

    private final JmsIntake intake;
    private final String queue;
    private final java.util.List<String> hubOnly;

    public JmsReplies(JmsIntake intake, @Value("${orderhub.jms.inbound-queue}") String queue,
                      BrokerQueues brokerQueues, Environment env) {
        this.intake = intake;
        this.queue = queue;
        this.hubOnly = EmbeddedBrokerConfig.hubOnlyAddresses(brokerQueues, env);
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
        if (!(replyTo instanceof Destination destination)) {
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
        Destination target = asQueueWhenPlain(destination);
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
        in.setHeader(JmsConstants.JMS_DESTINATION, exchange.getProperty(ANSWER_TO));
    }

    /**
     * The answer could not be sent: logged and kept on the receipt; the request is still acknowledged (its order
     * stands), never redelivered or dead-lettered for it.
     */
    public void answerFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        String receiptId = exchange.getProperty(JmsIntakeAdapter.STORED_RECEIPT, String.class);
        String to = address((Destination) exchange.getProperty(ANSWER_TO));
        LOG.warn("JMS answer for receipt {} not delivered to {}: {} (the receipt's decision stands; the message is "
                + "acknowledged, not dead-lettered)", receiptId, to, reason);
        intake.answerUndelivered(receiptId, to, reason);
    }

    static Destination asQueueWhenPlain(Destination destination) {
        if (destination instanceof ActiveMQDestination d && d.getType() == ActiveMQDestination.TYPE.DESTINATION) {
            // a name without a type (STOMP reply-to, AMQP address): a queue, as a client that names one reads it
            return ActiveMQDestination.createQueue(d.getAddress());
        }
        return destination;
    }

    static String address(Destination destination) {
        if (destination == null) {
            return null;
        }
        if (destination instanceof ActiveMQDestination d) {
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

    /** The sender named a reply-to the hub does not answer to. */
    public static class AnswerRefusedException extends RuntimeException {
        public AnswerRefusedException(String message) {
            super(message);
        }
    }
}
