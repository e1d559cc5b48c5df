package io.orderhub.security.camel;

import java.time.Clock;

import io.orderhub.common.DeadLetterHeaders;
import io.orderhub.crypto.DataCipher;
import io.orderhub.security.EventSignatures;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsEndpoint;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link EventSignatures} for the consumers of {@code orders.events} (the lifecycle stages, ERP and
 * CRM sync, customer notifications): {@link #verify} is their first step, and {@link #deadLetter} prepares an event
 * that fails it for the broker's dead letter queue, with the reason and the queue it came from
 * (routes/event-origin.camel.yaml).
 * <p>
 * Events travel sealed (AES-GCM under the key ring, {@code ohe1:<keyId>:...}, as the outbox stores them), so the
 * broker's queues and journal hold no personal value in clear. {@link #verify} checks the signature over the sealed
 * body and then opens it: one decryption per consumer, and every later step reads the event in clear as before. A body
 * in clear (an event published before this, or by a test) is taken as it is.
 */
@Component("eventOrigin")
public class EventOrigin {

    /** Message properties the relay sets on every event (io.orderhub.messaging.EventPublisher). */
    public static final String EVENT_TYPE = "eventType";
    public static final String ORDER_ID = "orderId";

    private final EventSignatures signatures;
    private final Clock clock;
    private final DataCipher cipher;

    public EventOrigin(EventSignatures signatures, Clock clock, DataCipher cipher) {
        this.signatures = signatures;
        this.clock = clock;
        this.cipher = cipher;
    }

    /**
     * Throws {@link EventSignatures.ForgedEventException} unless the event carries the hub's signature; then replaces
     * the sealed body with the event in clear.
     */
    public void verify(Exchange exchange) {
        Message in = exchange.getIn();
        String body = in.getBody(String.class);
        signatures.verify(in.getHeader(EVENT_TYPE, String.class), in.getHeader(ORDER_ID, String.class),
                body, in.getHeader(EventSignatures.PROPERTY, String.class));
        in.setBody(cipher.openText(body));
    }

    /** Adds the reason headers to a forged event before it goes to the dead letter queue. */
    public void deadLetter(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        String sender = in.getHeader(io.orderhub.security.BrokerUsers.VALIDATED_USER, String.class);
        in.setHeader(DeadLetterHeaders.FAILURE_REASON, (cause == null ? "forged event" : cause.getMessage())
                + (sender == null ? "" : " (sent by broker user " + sender + ")"));
        in.setHeader(DeadLetterHeaders.FAILURE_EXCEPTION, cause == null ? null : cause.getClass().getName());
        in.setHeader(DeadLetterHeaders.FAILED_AT, clock.instant().toString());
        in.setHeader(DeadLetterHeaders.DELIVERY_COUNT, in.getHeader(DeadLetterHeaders.JMS_DELIVERY_COUNT, Integer.class));
        if (exchange.getFromEndpoint() instanceof JmsEndpoint jms) {
            in.setHeader(DeadLetterHeaders.ORIGINAL_QUEUE, jms.getDestinationName());
        }
        // the broker's own properties are not the dead letter's (a duplicate id would refuse it)
        in.removeHeaders("_AMQ*");
        in.removeHeader("JMSReplyTo");
        DeadLetterRedaction.redact(in);
    }
}
