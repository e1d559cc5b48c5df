package io.orderhub.sync;

import java.util.List;

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
 * broker drops a batch the relay sends again after a crash.
 */
@Component
public class EventPublisher {

    private final JmsTemplate jms;
    private final String address;

    public EventPublisher(jakarta.jms.ConnectionFactory connectionFactory,
                          @Value("${orderhub.jms.events-address}") String address) {
        this.jms = new JmsTemplate(connectionFactory instanceof CachingConnectionFactory c ? c : connectionFactory);
        this.jms.setSessionTransacted(true);
        this.jms.setPubSubDomain(true);
        this.address = address;
    }

    /** Sends every event and commits; returns the outbox row ids that are now on the broker. */
    public List<Long> publish(List<Outbox.PendingEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
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
        return events.stream().map(Outbox.PendingEvent::id).toList();
    }

    private static TextMessage message(Session session, Outbox.PendingEvent event) throws JMSException {
        TextMessage m = session.createTextMessage(event.payload());
        m.setStringProperty("JMSXGroupID", event.orderId());
        m.setStringProperty("orderId", event.orderId());
        m.setStringProperty("eventType", event.type());
        m.setStringProperty("_AMQ_DUPL_ID", event.eventId());
        return m;
    }
}
