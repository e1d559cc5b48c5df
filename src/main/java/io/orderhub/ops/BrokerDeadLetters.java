package io.orderhub.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderhub.common.DeadLetterHeaders;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.common.RetryLaterException;
import io.orderhub.security.MaskedMessageConverter;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * The broker's dead letter queues ({@code DLQ} of the broker itself, and the hub's
 * {@code orders.inbound.DLQ}, {@code erp.stock-updates.DLQ}, {@code crm.customer-updates.DLQ}):
 * browse their messages with the reason, replay one to the queue it came from, or discard one. Works
 * over JMS, so the same against the embedded and a remote Artemis. A replayed message is sent without
 * the failure properties, as a new message, in the same local transaction that takes it off the DLQ.
 */
@Component
public class BrokerDeadLetters {

    /** Artemis's properties naming where a message the broker dead-lettered came from. */
    static final String ORIG_ADDRESS = "_AMQ_ORIG_ADDRESS";
    static final String ORIG_QUEUE = "_AMQ_ORIG_QUEUE";
    private static final int PREVIEW = 500;
    private static final long RECEIVE_TIMEOUT_MS = 2000;

    private final JmsTemplate jms;
    private final Set<String> queues;
    private final BrokerSends.Sender replays;
    /** The property the broker sets on a message it sealed ({@code io.orderhub.config.SealedInboundOrders#PROPERTY}). */
    static final String SEALED = "OrderHubSealed";
    private io.orderhub.crypto.DataCipher cipher;

    @Autowired
    public BrokerDeadLetters(ConnectionFactory connectionFactory,
                             @Value("${orderhub.jms.inbound-dead-letter-queue}") String inbound,
                             @Value("${orderhub.erp-inbound.dead-letter-queue}") String erp,
                             @Value("${orderhub.crm-inbound.dead-letter-queue}") String crm,
                             BrokerSends sends, OpsProperties ops) {
        this(connectionFactory, inbound, erp, crm, ops.brokerDeadLetterQueue(), sends, ops.brokerReplayTimeout().toMillis());
    }

    public BrokerDeadLetters(ConnectionFactory connectionFactory, String inbound, String erp, String crm, String broker,
                             BrokerSends sends, long replayTimeoutMs) {
        this.replays = sends.sender("dead letter replay", Duration.ofMillis(replayTimeoutMs));
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
        this.jms.setReceiveTimeout(RECEIVE_TIMEOUT_MS);
        this.queues = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(broker, inbound, erp, crm)));
    }

    public Set<String> queues() {
        return queues;
    }

    /** How many messages each dead letter queue holds (browsed; at most {@code cap} counted per queue). */
    public Map<String, Integer> depths(int cap) {
        Map<String, Integer> depths = new LinkedHashMap<>();
        for (String q : queues) {
            depths.put(q, browse(q, (session, browser) -> {
                int n = 0;
                for (var e = browser.getEnumeration(); e.hasMoreElements() && n < cap; e.nextElement()) {
                    n++;
                }
                return n;
            }, 0));
        }
        return depths;
    }

    /** The first {@code limit} messages of a dead letter queue, oldest first. */
    public List<Map<String, Object>> list(String queue, int limit) {
        String q = known(queue);
        return browse(q, (session, browser) -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements() && out.size() < limit; ) {
                out.add(describe(q, (Message) e.nextElement()));
            }
            return out;
        }, List.of());
    }

    /**
     * Browses a dead letter queue; one the broker has not created yet (nothing was ever dead-lettered there, AMQ229017)
     * holds nothing, which is the answer, not an error.
     */
    private <T> T browse(String queue, org.springframework.jms.core.BrowserCallback<T> callback, T none) {
        try {
            return jms.browse(queue, callback);
        } catch (org.springframework.jms.JmsException e) {
            if (e instanceof org.springframework.jms.InvalidDestinationException || String.valueOf(e.getMessage()).contains("AMQ229017")
                    || e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("AMQ229017")) {
                return none;
            }
            throw e;
        }
    }

    /**
     * Sends a dead-lettered message back to the queue it came from; returns where it went. A broker that blocks
     * producers (its disk beyond the limit, the target full) does not hold the operator's request: after the replay
     * timeout the move is rolled back (the message stays on the dead letter queue) and the answer is 503, try later.
     */
    public Map<String, Object> replay(String queue, String messageId) {
        String q = known(queue);
        try {
            return replays.call(() -> move(q, messageId));
        } catch (BrokerSends.BrokerBlockedException e) {
            throw new RetryLaterException(Problem.UNAVAILABLE, "messageId", "the broker takes no messages "
                    + "now (its disk or the target address is full); nothing was moved, " + messageId + " is still on " + q, 30);
        }
    }

    private Map<String, Object> move(String q, String messageId) {
        return jms.execute(session -> {
            Message m = take(session, q, messageId);
            String destination = origin(m);
            if (destination == null) {
                session.rollback();
                throw OrderHubException.field(Problem.CONFLICT, "messageId", "message " + messageId
                        + " does not say which queue it came from and cannot be replayed");
            }
            Message copy = copy(session, m);
            Queue target = session.createQueue(destination);
            try (var producer = session.createProducer(target)) {
                producer.send(copy);
            }
            session.commit();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("queue", q);
            result.put("messageId", messageId);
            result.put("replayedTo", destination);
            result.put("newMessageId", copy.getJMSMessageID());
            return result;
        }, true);
    }

    /** Takes a message off a dead letter queue for good; returns what it was. */
    public Map<String, Object> discard(String queue, String messageId) {
        String q = known(queue);
        return jms.execute(session -> {
            Message m = take(session, q, messageId);
            Map<String, Object> described = describe(q, m);
            session.commit();
            return described;
        }, true);
    }

    private Message take(Session session, String queue, String messageId) throws JMSException {
        if (messageId == null || !messageId.matches("[A-Za-z0-9:._-]{1,100}")) {
            throw OrderHubException.field(Problem.MALFORMED, "messageId", "is not a JMS message id");
        }
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue),
                "JMSMessageID = '" + messageId + "'")) {
            Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
            if (m == null) {
                throw OrderHubException.field(Problem.NOT_FOUND, "messageId", "no message " + messageId + " on " + queue);
            }
            return m;
        }
    }

    private String known(String queue) {
        if (queue == null || !queues.contains(queue)) {
            throw OrderHubException.field(Problem.NOT_FOUND, "queue", "must be one of the dead letter queues " + queues);
        }
        return queue;
    }

    private static String origin(Message m) throws JMSException {
        String hub = m.getStringProperty(DeadLetterHeaders.ORIGINAL_QUEUE);
        if (hub != null && !hub.isBlank()) {
            return hub;
        }
        String address = m.getStringProperty(ORIG_ADDRESS);
        String queue = m.getStringProperty(ORIG_QUEUE);
        if (address == null || address.isBlank()) {
            return null;
        }
        // a subscriber's queue on a multicast address: back to that queue only (FQQN), not to every subscriber
        return queue == null || queue.isBlank() || queue.equals(address) ? address : address + "::" + queue;
    }

    private static Message copy(Session session, Message m) throws JMSException {
        Message copy;
        if (m instanceof TextMessage t) {
            copy = session.createTextMessage(t.getText());
        } else if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            BytesMessage out = session.createBytesMessage();
            out.writeBytes(bytes);
            copy = out;
        } else {
            throw OrderHubException.field(Problem.CONFLICT, "messageId", "only text and bytes messages can be replayed");
        }
        for (var names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (name.startsWith("OrderHub") || name.startsWith("_AMQ") || name.startsWith("JMSX") || name.startsWith("__AMQ")) {
                continue;
            }
            copy.setObjectProperty(name, m.getObjectProperty(name));
        }
        if (m.getJMSCorrelationID() != null) {
            copy.setJMSCorrelationID(m.getJMSCorrelationID());
        }
        return copy;
    }

    private Map<String, Object> describe(String queue, Message m) throws JMSException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("queue", queue);
        d.put("messageId", m.getJMSMessageID());
        d.put("timestamp", m.getJMSTimestamp() == 0 ? null : Instant.ofEpochMilli(m.getJMSTimestamp()));
        d.put("originalQueue", origin(m));
        d.put("reason", mask(m.getStringProperty(DeadLetterHeaders.FAILURE_REASON)));
        d.put("failedAt", m.getStringProperty(DeadLetterHeaders.FAILED_AT));
        d.put("deliveryCount", m.getObjectProperty(DeadLetterHeaders.DELIVERY_COUNT));
        Map<String, Object> props = new LinkedHashMap<>();
        for (var names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("OrderHub") && !name.startsWith("_AMQ") && !name.startsWith("__AMQ")) {
                Object v = m.getObjectProperty(name);
                props.put(name, v instanceof String s ? mask(s) : v);
            }
        }
        d.put("properties", props);
        d.put("preview", preview(m));
        return d;
    }

    /** The key ring, to preview the intake's dead letters the broker sealed ({@code SealedInboundOrders}). */
    @Autowired(required = false)
    public void setCipher(io.orderhub.crypto.DataCipher cipher) {
        this.cipher = cipher;
    }

    private String preview(Message m) throws JMSException {
        String text;
        if (cipher != null && m.propertyExists(SEALED)) {
            try {
                if (m instanceof TextMessage t) {
                    text = cipher.openText(t.getText());
                } else if (m instanceof BytesMessage b) {
                    byte[] bytes = new byte[(int) b.getBodyLength()];
                    b.readBytes(bytes);
                    b.reset();
                    text = new String(cipher.open(bytes), StandardCharsets.UTF_8);
                } else {
                    return null;
                }
            } catch (IllegalStateException e) {
                return "(sealed: " + e.getMessage() + ")";
            }
        } else if (m instanceof TextMessage t) {
            text = t.getText();
        } else if (m instanceof BytesMessage b) {
            int n = (int) Math.min(b.getBodyLength(), PREVIEW * 4L);
            byte[] bytes = new byte[n];
            b.readBytes(bytes);
            b.reset();
            text = new String(bytes, StandardCharsets.UTF_8);
        } else {
            return null;
        }
        if (text == null) {
            return null;
        }
        return mask(text.length() > PREVIEW ? text.substring(0, PREVIEW) + "..." : text);
    }

    private static String mask(String s) {
        return s == null ? null : MaskedMessageConverter.mask(s);
    }
}
