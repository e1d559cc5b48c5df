package io.orderhub.config;

import io.orderhub.crypto.DataCipher;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.reader.TextMessageUtil;

/**
 * The embedded broker seals the orders channels send to the inbound queue before it stores them: a text or bytes
 * message's body is replaced by its AES-GCM encryption under the key ring's active key (text: {@code ohe1:<keyId>:...},
 * bytes: {@code OHE1}...), with the property {@value #PROPERTY} saying so, so the broker's journal and paging files
 * never hold a channel's document (the customer's name, address, e-mail) in clear. The JMS intake opens it
 * ({@code JmsIntakeAdapter.storeReceipt}), one decryption per message. A {@value #PROPERTY} the sender set is removed
 * whatever it says. Not sealed, and so stored as sent: messages of other body types (refused by the intake anyway),
 * large messages (streamed to disk before this runs), and AMQP 1.0 messages (their body is the sender's encoding).
 */
public class SealedInboundOrders implements ActiveMQServerMessagePlugin {

    /**
     * Set by the broker on a sealed message; the value names how ("ring": the key ring's active key). The JMS intake
     * reads it by the same name ({@code io.orderhub.ingest.camel.JmsIntakeAdapter#SEALED}).
     */
    public static final String PROPERTY = "OrderHubSealed";

    private static final byte TEXT = 3;
    private static final byte BYTES = 4;

    private final SimpleString inbound;
    private final DataCipher cipher;

    public SealedInboundOrders(String inboundQueue, DataCipher cipher) {
        this.inbound = SimpleString.of(inboundQueue);
        this.cipher = cipher;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        if (!inbound.equals(message.getAddressSimpleString())) {
            return;
        }
        message.removeProperty(PROPERTY);
        if (!(message instanceof CoreMessage core) || core.isLargeMessage()
                || (core.getType() != TEXT && core.getType() != BYTES)) {
            return;
        }
        if (core.getType() == TEXT) {
            SimpleString text = TextMessageUtil.readBodyText(core.getReadOnlyBodyBuffer());
            if (text == null) {
                return;
            }
            ActiveMQBuffer body = core.getBodyBuffer();
            body.resetWriterIndex();
            TextMessageUtil.writeBodyText(body, SimpleString.of(cipher.sealText(text.toString())));
        } else {
            ActiveMQBuffer read = core.getReadOnlyBodyBuffer();
            byte[] clear = new byte[read.readableBytes()];
            read.readBytes(clear);
            ActiveMQBuffer body = core.getBodyBuffer();
            body.resetWriterIndex();
            body.writeBytes(cipher.seal(clear));
        }
        message.putStringProperty(PROPERTY, "ring");
    }
}
