package io.orderhub.messaging;

import java.time.Duration;
import java.util.List;

import io.orderhub.security.EventSignatures;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes a batch of outbox events to the multicast address {@code orders.events} in one JMS
 * transaction: one journal sync per batch instead of one per event, and either the whole batch
 * is on the broker or none of it. Each message carries JMSXGroupID = orderId (per-order ordering
 * for consumers), {@code eventType}, {@code orderId}, and {@code _AMQ_DUPL_ID} = eventId so the
 * broker drops a batch the relay sends again after a crash, {@code partnerDocuments} (true when the order's channel
 * has partner documents configured in {@code mappings/channels.yaml} as in force when the event is published, false
 * when it has none; absent for an event without a stored order), on which the broker filters the partner documents'
 * subscription, and {@code hubSignature}, the hub's HMAC over event
 * type, order id and body ({@link EventSignatures}), without which no stage or subscriber acts on it. The relay calls it inside its database
 * transaction, which holds the relay lock: a broker that blocks producers (disk or address full) would
 * hold both for as long as it blocks, so the batch goes through a {@link BrokerSends.Sender} and one the
 * broker has not taken within {@code orderhub.outbox.send-timeout-ms} is rolled back and counts as not
 * published (the relay's transaction then commits nothing but its lock row and lets go of the lock).
 */
@Component
public class EventPublisher {

    private final JmsTemplate jms;
    private final String address;
    private final BrokerSends.Sender sender;
    private final EventSignatures signatures;
    /** Whether a channel has partner documents (null: the property is not set, tests). */
    private final java.util.function.Predicate<String> partnerDocuments;

    /** The message property the partner documents' subscription filters on (io.orderhub.config.BrokerQueues). */
    public static final String PARTNER_DOCUMENTS = "partnerDocuments";

    @org.springframework.beans.factory.annotation.Autowired
    public EventPublisher(jakarta.jms.ConnectionFactory connectionFactory,
                          @Value("${orderhub.jms.events-address}") String address, BrokerSends sends,
                          OutboxProperties outbox, EventSignatures signatures,
                          io.orderhub.channel.ChannelRegistry channels) {
        this(connectionFactory, address, sends, outbox.sendTimeoutMs(), signatures,
                channel -> channels.find(channel).map(c -> c.outbound() != null).orElse(false));
    }

    /** With the send timeout given (tests). */
    public EventPublisher(jakarta.jms.ConnectionFactory connectionFactory, String address, BrokerSends sends,
                          long sendTimeoutMs, EventSignatures signatures) {
        this(connectionFactory, address, sends, sendTimeoutMs, signatures, null);
    }

    private EventPublisher(jakarta.jms.ConnectionFactory connectionFactory, String address, BrokerSends sends,
                           long sendTimeoutMs, EventSignatures signatures,
                           java.util.function.Predicate<String> partnerDocuments) {
        this.signatures = signatures;
        this.partnerDocuments = partnerDocuments;
        this.jms = new JmsTemplate(connectionFactory instanceof CachingConnectionFactory c ? c : connectionFactory);
        this.jms.setSessionTransacted(true);
        this.jms.setPubSubDomain(true);
        this.address = address;
        this.sender = sends.sender("outbox relay", Duration.ofMillis(sendTimeoutMs));
    }

    /**
     * Sends every event and commits; returns the outbox row ids that are now on the broker. A batch that holds an
     * event the broker has already (sent before a crash, not yet marked published) is refused as a whole by the
     * broker's duplicate detection: then each event goes in its own transaction, and one the broker refuses as a
     * duplicate counts as published (without this the relay would send the same refused batch forever). Returns
     * nothing when the broker does not take the batch in time (it blocks producers): nothing is published then.
     */
    public List<Long> publish(List<Outbox.PendingEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        try {
            return sender.call(() -> publishNow(events));
        } catch (BrokerSends.BrokerBlockedException e) {
            return List.of();
        }
    }

    private List<Long> publishNow(List<Outbox.PendingEvent> events) {
        try {
            send(events);
        } catch (org.springframework.jms.JmsException e) {
            if (!duplicate(e)) {
                throw e;
            }
            for (Outbox.PendingEvent event : events) {
                try {
                    send(List.of(event));
                } catch (org.springframework.jms.JmsException one) {
                    if (!duplicate(one)) {
                        throw one;
                    }
                }
            }
        }
        return events.stream().map(Outbox.PendingEvent::id).toList();
    }

    /** Whether the broker refused the send because it has a message with the same _AMQ_DUPL_ID already. */
    static boolean duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException
                    || (t.getMessage() != null && t.getMessage().contains("DUPLICATE_ID_REJECTED"))) {
                return true;
            }
        }
        return false;
    }

    private void send(List<Outbox.PendingEvent> events) {
        jms.execute(session -> {
            MessageProducer producer = session.createProducer(session.createTopic(address));
            try {
                for (Outbox.PendingEvent event : events) {
                    producer.send(message(session, event));
                }
                session.commit();
            } finally {
                producer.close();
            }
            return null;
        }, true);
    }

    private TextMessage message(Session session, Outbox.PendingEvent event) throws JMSException {
        TextMessage m = session.createTextMessage(event.payload());
        m.setStringProperty("JMSXGroupID", event.orderId());
        m.setStringProperty("orderId", event.orderId());
        m.setStringProperty("eventType", event.type());
        m.setStringProperty("_AMQ_DUPL_ID", event.eventId());
        if (partnerDocuments != null && event.channel() != null) {
            m.setBooleanProperty(PARTNER_DOCUMENTS, partnerDocuments.test(event.channel()));
        }
        m.setStringProperty(EventSignatures.PROPERTY, signatures.sign(event.type(), event.orderId(), event.payload()));
        return m;
    }
}
