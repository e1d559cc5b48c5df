package io.orderhub.ingest.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.AfterCommitHook;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.TransportIntake;
import io.orderhub.ingest.jms.JmsIntake;
import io.orderhub.security.BrokerUsers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link JmsIntake} for routes/jms-intake.camel.yaml: the JMS steps of the intake around the shared
 * ones ({@link IntakeSteps}): store the message's document as a receipt, check its sender, and the answer
 * {@code {receiptId, status, orderIds, errors}} (sent to JMSReplyTo by {@link JmsReplies}). A message that fails on
 * every delivery: {@link JmsDeadLetters}.
 */
@Component("jmsIntakeAdapter")
public class JmsIntakeAdapter {

    /** JMS string properties a channel sets (DESIGN §6). */
    public static final String CHANNEL = "channel";
    public static final String FORMAT = "format";
    public static final String CONTENT_TYPE = "contentType";

    /** Exchange property: the receipt an earlier attempt of this delivery stored (tried again in place). */
    static final String STORED_RECEIPT = "orderhubJmsReceiptId";

    private final JmsIntake intake;
    private final TransportIntake steps;
    private final AfterCommitHook faults;
    private final ObjectMapper json;

    /**
     * The property the embedded broker sets on an order it sealed before storing it
     * ({@code io.orderhub.config.SealedInboundOrders}): the body is then the document encrypted under the key ring.
     */
    public static final String SEALED = "OrderHubSealed";

    private final io.orderhub.crypto.DataCipher cipher;

    public JmsIntakeAdapter(JmsIntake intake, TransportIntake steps, AfterCommitHook faults, ObjectMapper json,
                            io.orderhub.crypto.DataCipher cipher) {
        this.cipher = cipher;
        this.intake = intake;
        this.steps = steps;
        this.faults = faults;
        this.json = json;
    }

    /**
     * Store the receipt: the message's document (a TextMessage's text or a BytesMessage's bytes, which become the
     * body) is stored and committed before anything else. Tried again in place after its commit, it stores nothing.
     */
    public void storeReceipt(Exchange exchange) {
        if (exchange.getProperty(STORED_RECEIPT) != null) {
            return;
        }
        Message in = exchange.getIn();
        byte[] document = opened(in.getHeader(SEALED), document(in.getBody()));
        // from here on the document in clear, as the channel sent it (a dead letter keeps it so, redacted)
        in.removeHeader(SEALED);
        in.setBody(document);
        exchange.setProperty(STORED_RECEIPT,
                intake.store(in.getHeader(CHANNEL, String.class), in.getHeader(CONTENT_TYPE, String.class), document));
    }

    /**
     * Check the sender: the channel it names, the broker user who sent it (as the broker validated it), the size.
     * The stored document goes on to the shared steps (exchange property {@value IntakeSteps#DOCUMENT}).
     */
    public void checkSender(Exchange exchange) {
        Message in = exchange.getIn();
        exchange.setProperty(IntakeSteps.DOCUMENT, intake.check(exchange.getProperty(STORED_RECEIPT, String.class),
                in.getHeader(BrokerUsers.VALIDATED_USER, String.class),
                in.getHeader(CHANNEL, String.class), in.getHeader(FORMAT, String.class),
                in.getHeader(CONTENT_TYPE, String.class), in.getBody(byte[].class)));
    }

    /** The answer {@code {receiptId, status, orderIds, errors}} becomes the body, read from the receipt. */
    public void answer(Exchange exchange) {
        DocumentIntake document = IntakeSteps.document(exchange);
        TransportAnswer answer = steps.answer(document);
        // the receipt and the order are committed; the message is not acknowledged until the route ends
        faults.afterCommit(AfterCommitHook.JMS_INTAKE);
        Message in = exchange.getIn();
        in.setBody(write(json, answer));
        // the answer carries the JMS correlation and nothing the sender put in properties (never echoed)
        in.removeHeaders("*", "JMS*");
    }

    static String write(ObjectMapper json, TransportAnswer answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document of a message the broker sealed, in clear (one AES-GCM decryption); any other as it is. */
    private byte[] opened(Object sealed, byte[] document) {
        if (sealed == null) {
            return document;
        }
        return io.orderhub.crypto.DataCipher.sealed(document) ? cipher.open(document)
                : cipher.openText(new String(document, java.nio.charset.StandardCharsets.UTF_8))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

    /** A message whose body the hub cannot read as a document: poison, however often it is delivered. */
    public static class UnreadableMessageException extends RuntimeException {
        public UnreadableMessageException(String message) {
            super(message);
        }
    }
}
