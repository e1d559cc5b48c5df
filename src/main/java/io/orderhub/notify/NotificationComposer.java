package io.orderhub.notify;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.notify.Notifier.NotComposed;
import org.springframework.stereotype.Component;

import static io.orderhub.notify.Notifier.RECEIPT_REJECTED;

/** Reads an event or rejection notice and composes the mail it calls for: a customer or a sender notice. */
@Component
class NotificationComposer {

    private final NotificationSettings settings;
    private final ObjectMapper json;
    private final CustomerNotices customers;
    private final SenderNotices senders;

    NotificationComposer(NotificationSettings settings, ObjectMapper json, CustomerNotices customers, SenderNotices senders) {
        this.settings = settings;
        this.json = json;
        this.customers = customers;
        this.senders = senders;
    }

    /**
     * The mail an event or rejection notice calls for; empty when none is due (or it was recorded
     * before). {@code replay}: compose it even though a dead letter was recorded for it.
     *
     * @throws NotComposed when the mail is due but cannot be composed (bad message, template failure)
     */
    Optional<Notification> compose(String payload, boolean replay) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        JsonNode message = parse(payload);
        String type = message.path("type").asText("");
        return RECEIPT_REJECTED.equals(type) ? senders.senderNotice(message, replay) : customers.customerNotice(message, type, replay);
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
}
