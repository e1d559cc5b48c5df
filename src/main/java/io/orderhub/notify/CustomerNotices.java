package io.orderhub.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.notify.Notifier.NotComposed;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Customer mails on lifecycle events ({@code orders.events}): due when the order's channel notifies
 * that event type (not opted out), the order has an e-mail address (customer, else bill-to, else
 * ship-to) and a template exists in the locale of the ship-to country or the channel.
 */
@Component
class CustomerNotices {

    private final ChannelRegistry channels;
    private final NotificationTemplates templates;
    private final NotificationSettings settings;
    private final MailDrafts drafts;
    private final Environment env;

    CustomerNotices(ChannelRegistry channels, NotificationTemplates templates, NotificationSettings settings,
                    MailDrafts drafts, Environment env) {
        this.channels = channels;
        this.templates = templates;
        this.settings = settings;
        this.drafts = drafts;
        this.env = env;
    }

    Optional<Notification> customerNotice(JsonNode event, String type, boolean replay) {
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
        String to = MailDrafts.firstText(order, "/customer/email", "/billTo/email", "/shipTo/email");
        String locale = locale(channel.get(), order);
        if (to == null || !templates.exists(template, locale) || drafts.alreadyRecorded(eventId, Notification.CUSTOMER, replay)) {
            return Optional.empty();
        }
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, Object> data = MailDrafts.map(event.path("data"));
        model.put("order", data.get("order"));
        model.put("event", eventModel(event, data));
        model.put("customerName", MailDrafts.firstText(order, "/customer/name", "/billTo/name", "/shipTo/name"));
        model.put("shipments", shipments(event.path("data").path("shipments")));
        model.put("refund", data.get("refund"));
        // a return's events (return.authorized, return.received, return.refunded): the return with its label
        model.put("rma", data.get("return"));
        model.put("label", data.get("label"));
        model.put("channel", Map.of("id", channel.get().id(), "name", channel.get().name() == null ? channel.get().id()
                : channel.get().name()));
        Notification draft = new Notification(eventId, Notification.CUSTOMER, type, orderId, null, channel.get().id(), to,
                drafts.from(channel.get()), drafts.replyTo(channel.get()), locale, null, null, null);
        return Optional.of(drafts.render(draft, template, model));
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
            Map<String, Object> m = MailDrafts.map(s);
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
}
