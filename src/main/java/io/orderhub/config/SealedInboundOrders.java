package io.orderhub.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.KeyRing;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.LargeServerMessage;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.reader.TextMessageUtil;

/**
 * The broker seals the orders channels send to the inbound queue (and what lands on the intake's dead letter queue)
 * before it stores them: a text or bytes message's body is replaced by its AES-GCM encryption under the key ring's
 * active key (text: {@code ohe1:<keyId>:...}, bytes: {@code OHE1}...), with the property {@value #PROPERTY} saying so,
 * so the broker's journal and paging files never hold a channel's document (the customer's name, address, e-mail) in
 * clear. The JMS intake opens it ({@code JmsIntakeAdapter.storeReceipt}), one decryption per message.
 * <ul>
 * <li>Core (JMS) messages: the body buffer is rewritten in place.</li>
 * <li>AMQP 1.0 messages ({@code AMQPStandardMessage}): a string {@code AmqpValue} or a {@code Data} section is sealed
 *     and the message re-encoded with {@value #PROPERTY} as an application property ({@link AmqpBody}); the hub's
 *     core consumer gets it as a text or bytes message like any other.</li>
 * <li>Large messages (core from the client's {@code minLargeMessageSize}, 100 KiB by default; AMQP 1.0 from the acceptor's
 *     {@code amqpMinLargeMessageSize}, 100 KiB by default) are streamed to the large-messages directory before any plugin sees them:
 *     they are refused with a clear error (the sender's send fails, nothing is queued) and their file is deleted.</li>
 * <li>A body that already is sealed under this ring (it opens and passes its integrity check: a replayed dead letter,
 *     the broker's own dead-letter and expiry copies) is kept as it is; a {@value #PROPERTY} the sender set is
 *     otherwise removed whatever it says. Other body types (refused by the intake anyway) are stored as sent.</li>
 * </ul>
 * The broker's own moves (dead-lettering after the last delivery, expiry) copy the stored, sealed message: the copy
 * stays sealed.
 * <p>
 * On an external Artemis the same class is a broker plugin (an {@link ActiveMQServerPlugin}, as broker.xml requires) in {@code broker.xml} (the jar
 * {@code target/orderhub-<version>-broker-plugin.jar} in the instance's {@code lib/}), with the properties
 * {@value #KEY_RING_FILE} (required: the hub's key ring file), {@value #ACTIVE_KEY} (optional, as
 * {@code ORDERHUB_CRYPTO_ACTIVE_KEY}) and {@value #ADDRESSES} (optional, comma-separated; default
 * {@value #DEFAULT_ADDRESSES}). README, Security.
 */
public class SealedInboundOrders implements ActiveMQServerPlugin {

    /**
     * Set by the broker on a sealed message; the value names how ("ring": the key ring's active key). The JMS intake
     * reads it by the same name ({@code io.orderhub.ingest.camel.JmsIntakeAdapter#SEALED}).
     */
    public static final String PROPERTY = "OrderHubSealed";
    public static final String KEY_RING_FILE = "key-ring-file";
    public static final String ACTIVE_KEY = "active-key";
    public static final String ADDRESSES = "addresses";
    public static final String DEFAULT_ADDRESSES = "orders.inbound,orders.inbound.DLQ";

    private static final byte TEXT = 3;
    private static final byte BYTES = 4;

    private Set<SimpleString> addresses;
    private DataCipher cipher;

    /** For broker.xml: configured by {@link #init(Map)}. */
    public SealedInboundOrders() {
    }

    /** The embedded broker's: the given addresses (the inbound queue, the intake's dead letter queue) under the hub's ring. */
    public SealedInboundOrders(List<String> addresses, DataCipher cipher) {
        this.addresses = addresses.stream().filter(a -> a != null && !a.isBlank()).map(SimpleString::of)
                .collect(Collectors.toUnmodifiableSet());
        this.cipher = cipher;
    }

    @Override
    public void init(Map<String, String> properties) {
        String file = properties.get(KEY_RING_FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(getClass().getName() + ": the property " + KEY_RING_FILE
                    + " (the hub's key ring file, ORDERHUB_CRYPTO_KEYRING_FILE) is required");
        }
        this.cipher = new DataCipher(KeyRing.load(Path.of(file.trim()), properties.get(ACTIVE_KEY)));
        String list = properties.getOrDefault(ADDRESSES, DEFAULT_ADDRESSES);
        List<String> names = new ArrayList<>(Arrays.asList(list.split(",")));
        names.replaceAll(String::trim);
        this.addresses = names.stream().filter(a -> !a.isEmpty()).map(SimpleString::of)
                .collect(Collectors.toUnmodifiableSet());
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException(getClass().getName() + ": the property " + ADDRESSES + " names no address");
        }
    }

    /** The addresses sealed here. */
    public Set<SimpleString> addresses() {
        return addresses;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        SimpleString address = message.getAddressSimpleString();
        if (address == null || !addresses.contains(address)) {
            return;
        }
        if (message.isLargeMessage()) {
            refuseLarge(message, address);
        }
        if (message instanceof CoreMessage core) {
            sealCore(core);
        } else if ("AMQP".equals(message.getProtocolName())) {
            AmqpBody.seal(message, this);
        } else {
            message.removeProperty(PROPERTY);
        }
    }

    private static void refuseLarge(Message message, SimpleString address) throws ActiveMQException {
        if (message instanceof LargeServerMessage large) {
            try {
                large.deleteFile();
            } catch (Exception e) {
                // the broker deletes it with the failed send anyway; the refusal below is what counts
            }
        }
        throw new ActiveMQException(ActiveMQExceptionType.ILLEGAL_STATE, "OrderHub: " + address
                + " takes no large message (the broker would store it unsealed): send the order below the client's"
                + " minLargeMessageSize (Artemis core JMS: 100 KiB by default, raise it on the sender's connection"
                + " factory) or the acceptor's amqpMinLargeMessageSize (AMQP 1.0); the order was not queued");
    }

    private void sealCore(CoreMessage core) {
        if (core.getType() != TEXT && core.getType() != BYTES) {
            core.removeProperty(PROPERTY);
            return;
        }
        if (core.getType() == TEXT) {
            SimpleString text = TextMessageUtil.readBodyText(core.getReadOnlyBodyBuffer());
            if (text == null) {
                core.removeProperty(PROPERTY);
                return;
            }
            if (opens(text.toString())) {
                core.putStringProperty(PROPERTY, "ring");
                return;
            }
            ActiveMQBuffer body = core.getBodyBuffer();
            body.resetWriterIndex();
            TextMessageUtil.writeBodyText(body, SimpleString.of(cipher.sealText(text.toString())));
        } else {
            ActiveMQBuffer read = core.getReadOnlyBodyBuffer();
            byte[] clear = new byte[read.readableBytes()];
            read.readBytes(clear);
            if (opens(clear)) {
                core.putStringProperty(PROPERTY, "ring");
                return;
            }
            ActiveMQBuffer body = core.getBodyBuffer();
            body.resetWriterIndex();
            body.writeBytes(cipher.seal(clear));
        }
        core.putStringProperty(PROPERTY, "ring");
    }

    /** True when the text is sealed under this ring and passes its integrity check (never a sender's forgery). */
    boolean opens(String text) {
        if (DataCipher.keyIdOf(text) == null) {
            return false;
        }
        try {
            cipher.openText(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean opens(byte[] bytes) {
        if (!DataCipher.sealed(bytes)) {
            return false;
        }
        try {
            cipher.open(bytes);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    DataCipher cipher() {
        return cipher;
    }

    /**
     * AMQP 1.0 messages, in a class of their own so the plugin loads on a broker without the AMQP protocol. The body
     * (a string {@code AmqpValue}, or a {@code Data} section) is sealed and the message re-encoded with
     * {@value #PROPERTY} among its application properties; the broker's message object keeps its other sections. Its
     * encoded bytes are replaced through reflection (Artemis offers no API to change an AMQP body in place), so a
     * broker version where that fails refuses the order with the reason instead of storing it unsealed.
     */
    static final class AmqpBody {

        private AmqpBody() {
        }

        static void seal(Message message, SealedInboundOrders plugin) throws ActiveMQException {
            if (!(message instanceof org.apache.activemq.artemis.protocol.amqp.broker.AMQPStandardMessage amqp)) {
                message.removeProperty(PROPERTY);
                return;
            }
            // what the broker and the plugins before this one changed in memory (the validated user) into the bytes,
            // which the sections below are read from
            amqp.reencode();
            DataCipher cipher = plugin.cipher;
            org.apache.qpid.proton.amqp.messaging.Section body = amqp.getBody();
            org.apache.qpid.proton.amqp.messaging.Section sealed;
            if (body instanceof org.apache.qpid.proton.amqp.messaging.AmqpValue v && v.getValue() instanceof String text) {
                sealed = plugin.opens(text) ? body : new org.apache.qpid.proton.amqp.messaging.AmqpValue(cipher.sealText(text));
            } else if (body instanceof org.apache.qpid.proton.amqp.messaging.Data d && d.getValue() != null) {
                org.apache.qpid.proton.amqp.Binary b = d.getValue();
                byte[] clear = Arrays.copyOfRange(b.getArray(), b.getArrayOffset(), b.getArrayOffset() + b.getLength());
                sealed = plugin.opens(clear) ? body
                        : new org.apache.qpid.proton.amqp.messaging.Data(new org.apache.qpid.proton.amqp.Binary(cipher.seal(clear)));
            } else {
                message.removeProperty(PROPERTY);
                return;
            }
            Map<String, Object> application = new HashMap<>();
            if (amqp.getApplicationProperties() != null && amqp.getApplicationProperties().getValue() != null) {
                application.putAll(amqp.getApplicationProperties().getValue());
            }
            application.put(PROPERTY, "ring");
            byte[] encoded = encode(org.apache.qpid.proton.message.Message.Factory.create(amqp.getHeader(),
                    amqp.getDeliveryAnnotations(), amqp.getMessageAnnotations(), amqp.getProperties(),
                    new org.apache.qpid.proton.amqp.messaging.ApplicationProperties(application), sealed, amqp.getFooter()));
            try {
                Class<?> standard = org.apache.activemq.artemis.protocol.amqp.broker.AMQPStandardMessage.class;
                Class<?> base = org.apache.activemq.artemis.protocol.amqp.broker.AMQPMessage.class;
                java.lang.reflect.Field data = standard.getDeclaredField("data");
                data.setAccessible(true);
                data.set(amqp, org.apache.qpid.proton.codec.ReadableBuffer.ByteBufferReader.wrap(encoded));
                // forget what was decoded from the old bytes, and read the new ones
                java.lang.reflect.Method reset = base.getDeclaredMethod("resetMessageData");
                reset.setAccessible(true);
                reset.invoke(amqp);
                java.lang.reflect.Method scan = base.getDeclaredMethod("scanMessageData");
                scan.setAccessible(true);
                scan.invoke(amqp);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ActiveMQException(ActiveMQExceptionType.INTERNAL_ERROR, "OrderHub: cannot seal an AMQP 1.0 order"
                        + " on this broker version (" + e + "); the order was not queued");
            }
        }

        private static byte[] encode(org.apache.qpid.proton.message.Message message) {
            byte[] buffer = new byte[4096];
            while (true) {
                try {
                    return Arrays.copyOf(buffer, message.encode(buffer, 0, buffer.length));
                } catch (java.nio.BufferOverflowException e) {
                    buffer = new byte[buffer.length * 4];
                }
            }
        }
    }
}
