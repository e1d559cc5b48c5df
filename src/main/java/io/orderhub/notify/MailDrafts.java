package io.orderhub.notify;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.Channel;
import io.orderhub.notify.Notifier.NotComposed;
import org.springframework.stereotype.Component;

/**
 * What the customer and sender notices share: rendering a draft with its template (a template failure
 * makes it {@link NotComposed}), whether the mail was recorded before, the channel's sender addresses,
 * and JSON as plain Java for the templates.
 */
@Component
class MailDrafts {

    private final NotificationTemplates templates;
    private final NotificationLedger ledger;
    private final NotificationSettings settings;

    MailDrafts(NotificationTemplates templates, NotificationLedger ledger, NotificationSettings settings) {
        this.templates = templates;
        this.ledger = ledger;
        this.settings = settings;
    }

    Notification render(Notification draft, String template, Map<String, Object> model) {
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

    boolean alreadyRecorded(String key, String kind, boolean replay) {
        Optional<String> status = ledger.status(key, kind);
        return status.isPresent() && !(replay && NotificationLedger.DEAD_LETTER.equals(status.get()));
    }

    String from(Channel channel) {
        String from = channel.notifications().from();
        return from == null || from.isBlank() ? settings.from() : from;
    }

    String replyTo(Channel channel) {
        String replyTo = channel.notifications().replyTo();
        return replyTo == null || replyTo.isBlank() ? blankToNull(settings.replyTo()) : replyTo;
    }

    static String firstText(JsonNode node, String... pointers) {
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
}
