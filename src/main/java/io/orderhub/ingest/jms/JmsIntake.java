package io.orderhub.ingest.jms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.TransportIntake;
import io.orderhub.security.BrokerUsers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Orders sent to the queue {@code orders.inbound} (DESIGN §6): the string property {@code channel}
 * names the channel (required), {@code format} the format (optional: recognised otherwise). The
 * message is stored as a receipt first; a message without channel, too large, holding an invalid
 * order, or sent by a broker user who may not send for the channel it names ({@link BrokerUsers}: a channel's
 * user only for its own channel, like a channel's API key) is rejected with every reason, and the answer goes back
 * where JMSReplyTo points.
 */
@Service
public class JmsIntake {

    public static final String VIA = "jms";

    private final TransportIntake intake;
    private final int maxBytes;
    private final BrokerUsers brokerUsers;
    private final boolean requireBrokerUser;
    private final ReceiptStore receipts;

    public JmsIntake(TransportIntake intake, @Value("${orderhub.api.max-body-bytes}") int maxBytes, BrokerUsers brokerUsers,
                     JmsIntakeProperties jms, ReceiptStore receipts) {
        this.intake = intake;
        this.receipts = receipts;
        this.maxBytes = maxBytes;
        this.brokerUsers = brokerUsers;
        this.requireBrokerUser = jms.inboundRequireBrokerUser();
    }

    /**
     * Store (the intake's first step): a TextMessage's text or a BytesMessage's bytes as received, cut at the size
     * limit, under the channel it names; committed before anything else happens. Its receipt id.
     */
    public String store(String channel, String contentType, byte[] body) {
        boolean truncated = body.length > maxBytes;
        return intake.store(channelId(channel), VIA, contentType, truncated ? Arrays.copyOf(body, maxBytes) : body,
                truncated);
    }

    /**
     * Check the sender: the channel the message names (string property {@code channel}), the broker user who sent it
     * ({@code brokerUser}, the broker's {@code _AMQ_VALIDATED_USER}) and the size. The stored document for the next
     * steps ({@link TransportIntake#recognise} ...), decided already (REJECTED with every reason) when one of these
     * refuses it.
     */
    public DocumentIntake check(String receiptId, String brokerUser, String channel, String format, String contentType,
                                byte[] body) {
        boolean truncated = body.length > maxBytes;
        byte[] kept = truncated ? Arrays.copyOf(body, maxBytes) : body;
        String channelId = channelId(channel);
        List<FieldError> errors = new ArrayList<>();
        if (channelId == null) {
            errors.add(FieldError.of("channel", "the JMS string property 'channel' is required: the id of the sending "
                    + "channel in mappings/channels.yaml"));
        } else if (io.orderhub.channel.ChannelIds.problem(channelId) != null) {
            errors.add(FieldError.of("channel", "the JMS string property 'channel' "
                    + io.orderhub.channel.ChannelIds.problem(channelId)));
        }
        if ((brokerUser != null || requireBrokerUser) && io.orderhub.channel.ChannelIds.problem(channelId) == null) {
            String refusal = brokerUsers.refusal(brokerUser, channelId);
            if (refusal != null) {
                errors.add(FieldError.of("channel", refusal));
            }
        }
        if (truncated) {
            errors.add(FieldError.of("body", "is larger than " + maxBytes + " bytes"));
        }
        TransportAnswer refused = errors.isEmpty() ? null : intake.reject(receiptId, errors);
        return intake.open(receiptId, channelId, format == null || format.isBlank() ? null : format.trim(), contentType,
                kept, VIA, refused);
    }

    private static String channelId(String channel) {
        return channel == null || channel.isBlank() ? null : channel.trim();
    }

    /**
     * Why the hub does not send an answer to {@code address} (null: it may): never to the hub's own addresses
     * ({@code hubOnly}: its events, stage and dead letter queues) nor back to the inbound queue, whatever a sender
     * names as its reply-to.
     */
    public static String answerRefusal(String address, List<String> hubOnly, String inboundQueue) {
        if (address == null) {
            return null;
        }
        String plain = address.contains("::") ? address.substring(0, address.indexOf("::")) : address;
        if (plain.equals(inboundQueue)) {
            return "the reply-to " + address + " is the inbound queue itself; name a queue of your own for answers";
        }
        if (hubOnly.contains(plain) || plain.startsWith("activemq.") || plain.startsWith("$.artemis")) {
            return "the reply-to " + address + " is one of the hub's own addresses, where it sends no answers; "
                    + "name a queue of your own (e.g. replies.<name>) or a temporary queue";
        }
        return null;
    }

    /**
     * The answer to this receipt could not be sent (the reply-to refused or unreachable): the receipt's decision
     * stands and the message is not dead-lettered; the reason is kept on the receipt ({@code answer_failure}).
     */
    public void answerUndelivered(String receiptId, String replyTo, String reason) {
        if (receiptId != null) {
            receipts.answerUndelivered(receiptId, "answer to " + replyTo + " not delivered: " + reason);
        }
    }

    /** The answer to a message that went to the dead letter queue instead of being read. */
    public TransportAnswer deadLettered(String reason) {
        return new TransportAnswer(null, "REJECTED", List.of(), List.of(FieldError.of("message",
                "could not be processed and was moved to the dead letter queue" + (reason == null ? "" : ": " + reason))),
                List.of(), null);
    }
}
