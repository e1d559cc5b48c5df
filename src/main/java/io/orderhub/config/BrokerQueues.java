package io.orderhub.config;

import java.util.List;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The hub's durable subscriptions on the multicast address {@code orders.events}, in one place: the
 * lifecycle stages' queues, each filtered by the broker on the event type it acts on, and the ERP, CRM and
 * notification queues, filtered as their {@code subscription-filter} settings say (every event when blank), so
 * events no route acts on never cost a delivery. The embedded broker is configured from this list
 * ({@link StageQueuesConfig}) and an external one is given the same queues at start-up
 * ({@link ExternalBrokerQueues}), so no event published before a consumer connects is missed and no
 * stage sees an event it does not handle. Queue names come from the routes' own settings (a fully
 * qualified {@code address::queue} or a queue name on the events address).
 */
@Component
public class BrokerQueues {

    /** One multicast queue on the events address; {@code filter} null: every event. */
    public record Subscription(String address, String queue, String filter) {

        /** Artemis' fully qualified queue name, as the routes consume it. */
        public String fullyQualified() {
            return address + "::" + queue;
        }

        public QueueConfiguration configuration() {
            QueueConfiguration q = QueueConfiguration.of(queue).setAddress(address).setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true);
            return filter == null ? q : q.setFilterString(filter);
        }
    }

    private final String address;
    private final List<Subscription> subscriptions;

    public BrokerQueues(@Value("${orderhub.jms.events-address}") String address,
                        @Value("${orderhub.inventory.reserve-queue}") String reserve,
                        @Value("${orderhub.inventory.allocate-queue}") String allocate,
                        @Value("${orderhub.payment.charge-queue}") String charge,
                        @Value("${orderhub.payment.refund-queue}") String refund,
                        @Value("${orderhub.sync.erp.queue}") String erp,
                        @Value("${orderhub.sync.crm.queue}") String crm,
                        @Value("${orderhub.notify.queue}") String notify,
                        @Value("${orderhub.sync.erp.subscription-filter:}") String erpFilter,
                        @Value("${orderhub.sync.crm.subscription-filter:}") String crmFilter,
                        @Value("${orderhub.notify.subscription-filter:}") String notifyFilter,
                        @Value("${orderhub.outbound.subscription}") String outbound,
                        io.orderhub.config.PartnerSubscriptions partners) {
        this.address = address;
        List<Subscription> all = new java.util.ArrayList<>(List.of(
                of(address, reserve, "order.created"),
                of(address, charge, "order.confirmed"),
                of(address, allocate, "order.paid"),
                of(address, refund, "order.cancelled"),
                // the partners' and the notifier's subscriptions take the events their settings name (every event when
                // blank); the route and its mapping still decide what each of those becomes
                filtered(of(address, erp, null), erpFilter),
                filtered(of(address, crm, null), crmFilter),
                filtered(of(address, notify, null), notifyFilter),
                // partner documents (docs/b2b-outbound.md): only the events that may owe a partner a document, of
                // orders whose channel has partner documents when the event is published (the relay's property; an
                // event published without it, by an older hub, still comes)
                new Subscription(address, outbound, OUTBOUND_FILTER)));
        // partners added with the partnerEvents route template (routes/partner-events.camel.yaml): each its own queue
        partners.partners().forEach(p -> all.add(filtered(of(address, p.queue(), null), p.filter())));
        this.subscriptions = List.copyOf(all);
    }

    /** The partner documents' subscription filter. */
    static final String OUTBOUND_FILTER = "eventType IN ('order.confirmed', 'order.backordered', 'order.shipped', "
            + "'order.delivered', 'return.refunded') AND (" + io.orderhub.messaging.EventPublisher.PARTNER_DOCUMENTS + " IS NULL OR "
            + io.orderhub.messaging.EventPublisher.PARTNER_DOCUMENTS + " = TRUE)";

    /** The multicast address the outbox relay publishes to. */
    public String address() {
        return address;
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** The subscription with an Artemis filter expression; a blank one: every event. */
    static Subscription filtered(Subscription s, String filter) {
        return new Subscription(s.address(), s.queue(), filter == null || filter.isBlank() ? null : filter.strip());
    }

    /** A queue setting, fully qualified ({@code orders.events::inventory.reserve}) or a bare name on the events address. */
    static Subscription of(String eventsAddress, String setting, String eventType) {
        int sep = setting.indexOf("::");
        String address = sep < 0 ? eventsAddress : setting.substring(0, sep);
        String queue = sep < 0 ? setting : setting.substring(sep + 2);
        return new Subscription(address, queue, eventType == null ? null : "eventType = '" + eventType + "'");
    }
}
