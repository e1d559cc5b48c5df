package io.orderhub.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.ingest.Receipt;
import io.orderhub.ingest.ReceiptStatus;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.security.MaskedMessageConverter;
import io.orderhub.messaging.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Decides and composes the hub's mails (docs/notifications.md). For an {@code orders.events} event: the
 * customer of the order hears of it when the channel notifies that event type (not opted out), the
 * order has an e-mail address (customer, else bill-to, else ship-to), and a template exists; for a
 * {@code receipt.rejected} notice: the channel's {@code rejectionsTo} address hears of a REST or JMS
 * document that was rejected. Each (event, recipient kind) is mailed once in effect: a mail recorded
 * in the {@link NotificationLedger} (sent or dead-lettered) is not composed again.
 */
@Service
public class Notifier {

    public static final String RECEIPT_REJECTED = "receipt.rejected";

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final ChannelRegistry channels;
    private final NotificationTemplates templates;
    private final NotificationLedger ledger;
    private final ReceiptStore receipts;
    private final NotificationSettings settings;
    private final ObjectMapper json;
    private final org.springframework.core.env.Environment env;

    public Notifier(ChannelRegistry channels, NotificationTemplates templates, NotificationLedger ledger,
                    ReceiptStore receipts, NotificationSettings settings, ObjectMapper json,
                    org.springframework.core.env.Environment env) {
        this.env = env;
        this.channels = channels;
        this.templates = templates;
        this.ledger = ledger;
        this.receipts = receipts;
        this.settings = settings;
        this.json = json;
    }

    /**
     * The mail an event or rejection notice calls for; empty when none is due (or it was recorded
     * before). {@code replay}: compose it even though a dead letter was recorded for it.
     *
     * @throws NotComposed when the mail is due but cannot be composed (bad message, template failure)
     */
    public Optional<Notification> compose(String payload, boolean replay) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        JsonNode message = parse(payload);
        String type = message.path("type").asText("");
        return RECEIPT_REJECTED.equals(type) ? senderNotice(message, replay) : customerNotice(message, type, replay);
    }

    /** A mail the SMTP server took: recorded, so a redelivery sends nothing. */
    public void sent(Notification n, int attempts) {
        if (ledger.recordSent(n, attempts)) {
            log.info("notification {} sent to the {} {}", n.describe(), n.recipientKind(), MaskedMessageConverter.mask(n.to()));
        }
    }

    /**
     * A mail that could not be sent (SMTP failing after the retries, or it could not be composed):
     * recorded as a dead letter to replay after the fix. {@code n} may be null when nothing was composed.
     */
    public void deadLetter(String payload, Notification n, Exception failure, int attempts) {
        Notification letter = n != null ? n : failure instanceof NotComposed nc ? nc.draft() : null;
        if (letter == null) {
            letter = placeholder(payload);
        }
        String reason = failure == null ? "unknown failure"
                : MaskedMessageConverter.mask(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        if (ledger.recordDeadLetter(letter, payload == null ? "" : payload, reason, attempts)) {
            log.warn("notification {} to the {} dead-lettered after {} attempt(s): {}", letter.describe(),
                    letter.recipientKind(), attempts, reason);
        }
    }

    /**
     * The mail of an OPEN notification dead letter, composed again with today's templates and settings;
     * the caller sends it and reports back with {@link #replayed} or {@link #replayFailed}.
     */
    public Notification replayable(long letterId) {
        NotificationLedger.Letter letter = ledger.letter(letterId).orElseThrow(() ->
                OrderHubException.field(Problem.NOT_FOUND, "id", "no dead letter " + letterId));
        if (!DeadLetter.OPEN.equals(letter.status())) {
            throw OrderHubException.field(Problem.CONFLICT, "id", "dead letter " + letterId + " is " + letter.status()
                    + " already");
        }
        try {
            return compose(letter.payload(), true).orElseThrow(() -> OrderHubException.field(Problem.CONFLICT, "id",
                    "dead letter " + letterId + " calls for no mail any more (notifications off, channel opted out, "
                            + "no address, or the document is no longer rejected)"));
        } catch (NotComposed e) {
            ledger.recordReplayFailed(letterId, e.getMessage());
            throw new OrderHubException(Problem.INVALID, "replay of dead letter " + letterId + " failed: " + e.getMessage());
        }
    }

    public void replayed(long letterId, Notification n) {
        ledger.recordReplayed(letterId, n);
        log.info("notification dead letter {} ({}) replayed to the {} {}", letterId, n.describe(), n.recipientKind(),
                MaskedMessageConverter.mask(n.to()));
    }

    public void replayFailed(long letterId, Exception failure) {
        String reason = MaskedMessageConverter.mask(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        ledger.recordReplayFailed(letterId, reason);
    }

    // ---- customer mails on lifecycle events

    private Optional<Notification> customerNotice(JsonNode event, String type, boolean replay) {
        String eventId = event.path("eventId").asText("");
        String orderId = event.path("orderId").asText("");
        JsonNode order = event.path("data").path("order");
        if (eventId.isBlank() || orderId.isBlank()) {
            throw new NotComposed("the message is not an orders.events event with eventId and orderId", null);
        }
        if (!order.isObject()) {
            return Optional.empty(); // an event about a part of the order (shipment.packed): nothing for the customer
        }
        Optional<Channel> channel = channels.find(order.path("channel").asText(null));
        if (channel.isEmpty() || !channel.get().notifications().notifies(type)) {
            return Optional.empty();
        }
        String template = type.replace('.', '-');
        String to = firstText(order, "/customer/email", "/billTo/email", "/shipTo/email");
        String locale = locale(channel.get(), order);
        if (to == null || !templates.exists(template, locale) || alreadyRecorded(eventId, Notification.CUSTOMER, replay)) {
            return Optional.empty();
        }
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, Object> data = map(event.path("data"));
        model.put("order", data.get("order"));
        model.put("event", eventModel(event, data));
        model.put("customerName", firstText(order, "/customer/name", "/billTo/name", "/shipTo/name"));
        model.put("shipments", shipments(event.path("data").path("shipments")));
        model.put("refund", data.get("refund"));
        // a return's events (return.authorized, return.received, return.refunded): the return with its label
        model.put("rma", data.get("return"));
        model.put("label", data.get("label"));
        model.put("channel", Map.of("id", channel.get().id(), "name", channel.get().name() == null ? channel.get().id()
                : channel.get().name()));
        Notification draft = new Notification(eventId, Notification.CUSTOMER, type, orderId, null, channel.get().id(), to,
                from(channel.get()), replyTo(channel.get()), locale, null, null, null);
        return Optional.of(render(draft, template, model));
    }

    private Map<String, Object> eventModel(JsonNode event, Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", event.path("eventId").asText());
        e.put("type", event.path("type").asText());
        e.put("status", event.path("status").asText());
        e.put("at", event.path("at").asText(null));
        e.put("detail", data.get("detail"));
        e.put("reason", data.containsKey("reason") ? data.get("reason") : data.get("detail"));
        e.put("fromStatus", data.get("fromStatus"));
        return e;
    }

    private List<Map<String, Object>> shipments(JsonNode shipments) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode s : shipments) {
            Map<String, Object> m = map(s);
            String link = settings.trackingLink(s.path("carrier").asText(null), s.path("trackingNumber").asText(null));
            if (link != null) {
                // a link may name a property known only once the hub runs (e.g. ${local.server.port})
                m.put("trackingUrl", env.resolvePlaceholders(link));
            }
            out.add(m);
        }
        return out;
    }

    /** The ship-to country's locale if the channel names one, else the channel's locale. */
    static String locale(Channel channel, JsonNode order) {
        String country = order.path("shipTo").path("country").asText("");
        for (Map.Entry<String, String> e : channel.notifications().localeByCountry().entrySet()) {
            if (e.getKey().equalsIgnoreCase(country)) {
                return e.getValue();
            }
        }
        return channel.locale();
    }

    // ---- sender mails on rejected documents

    private Optional<Notification> senderNotice(JsonNode notice, boolean replay) {
        String receiptId = notice.path("receiptId").asText("");
        String key = notice.path("eventId").asText("");
        if (receiptId.isBlank() || key.isBlank()) {
            throw new NotComposed("the rejection notice has no receiptId or eventId", null);
        }
        Optional<Receipt> found = receipts.find(receiptId);
        if (found.isEmpty() || found.get().status() != ReceiptStatus.REJECTED || "email".equals(found.get().via())) {
            return Optional.empty();
        }
        Receipt receipt = found.get();
        Optional<Channel> channel = channels.find(receipt.channel());
        String to = channel.map(c -> c.notifications().rejectionsTo()).filter(a -> !a.isBlank()).orElse(null);
        if (to == null || alreadyRecorded(key, Notification.SENDER, replay)) {
            return Optional.empty();
        }
        String locale = channel.get().locale();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("receiptId", receipt.receiptId());
        r.put("channel", receipt.channel());
        r.put("via", receipt.via());
        r.put("format", receipt.format());
        r.put("documentId", receipt.documentId());
        r.put("contentType", receipt.contentType());
        r.put("receivedAt", receipt.receivedAt() == null ? null : receipt.receivedAt().toString());
        List<Map<String, Object>> errors = new ArrayList<>();
        receipt.errors().forEach(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", e.field() == null ? "" : e.field());
            m.put("message", e.message());
            errors.add(m);
        });
        r.put("errors", errors);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("receipt", r);
        model.put("channel", Map.of("id", channel.get().id(), "name", channel.get().name() == null ? channel.get().id()
                : channel.get().name()));
        Notification draft = new Notification(key, Notification.SENDER, RECEIPT_REJECTED, null, receiptId,
                channel.get().id(), to, from(channel.get()), replyTo(channel.get()), locale, null, null, null);
        return Optional.of(render(draft, "receipt-rejected", model));
    }

    /** The key of a rejection notice: one per receipt and attempt, so a replay rejected again is told again. */
    public static String rejectionKey(String receiptId, int attempt) {
        return UUID.nameUUIDFromBytes(("receipt.rejected:" + receiptId + ":" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    // ---- shared

    private Notification render(Notification draft, String template, Map<String, Object> model) {
        model.put("fmt", new MailFormats(draft.locale(), settings.timeZone()));
        try {
            NotificationTemplates.Rendered r = templates.render(template, draft.locale(), model);
            return new Notification(draft.key(), draft.recipientKind(), draft.eventType(), draft.orderId(),
                    draft.receiptId(), draft.channel(), draft.to(), draft.from(), draft.replyTo(), r.locale(), r.subject(),
                    r.text(), r.html());
        } catch (NotificationTemplates.TemplateFailure e) {
            throw new NotComposed(e.getMessage(), new Notification(draft.key(), draft.recipientKind(), draft.eventType(),
                    draft.orderId(), draft.receiptId(), draft.channel(), draft.to(), draft.from(), draft.replyTo(),
                    draft.locale(), "(not rendered)", null, null));
        }
    }

    private boolean alreadyRecorded(String key, String kind, boolean replay) {
        Optional<String> status = ledger.status(key, kind);
        return status.isPresent() && !(replay && NotificationLedger.DEAD_LETTER.equals(status.get()));
    }

    private String from(Channel channel) {
        String from = channel.notifications().from();
        return from == null || from.isBlank() ? settings.from() : from;
    }

    private String replyTo(Channel channel) {
        String replyTo = channel.notifications().replyTo();
        return replyTo == null || replyTo.isBlank() ? blankToNull(settings.replyTo()) : replyTo;
    }

    private Notification placeholder(String payload) {
        String body = payload == null ? "" : payload;
        String key = UUID.nameUUIDFromBytes(body.getBytes(StandardCharsets.UTF_8)).toString();
        return new Notification(key, Notification.CUSTOMER, "?", null, null, null, "?", settings.from(), null, "?",
                "(not composed)", null, null);
    }

    private JsonNode parse(String payload) {
        try {
            JsonNode tree = payload == null ? null : json.readTree(payload);
            if (tree == null || !tree.isObject()) {
                throw new NotComposed("the message is not a JSON object", null);
            }
            return tree;
        } catch (IOException e) {
            throw new NotComposed("the message is not JSON", null);
        }
    }

    private static String firstText(JsonNode node, String... pointers) {
        for (String p : pointers) {
            JsonNode v = node.at(p);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText().strip();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** JSON as plain Java for the templates: objects → maps, arrays → lists, numbers → BigDecimal. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        Object plain = plain(node);
        return plain instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object v = plain(e.getValue());
                if (v != null) {
                    m.put(e.getKey(), v);
                }
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(n -> l.add(plain(n)));
            return l;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /**
     * A due mail that cannot be composed (a message that is not an event, a template that is missing or
     * fails): dead-lettered at once; {@code draft} is what is known of the mail, if anything.
     */
    public static class NotComposed extends RuntimeException {

        private final transient Notification draft;

        public NotComposed(String message, Notification draft) {
            super(message);
            this.draft = draft;
        }

        public Notification draft() {
            return draft;
        }
    }
}
