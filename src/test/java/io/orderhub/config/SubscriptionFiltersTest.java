package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.filter.impl.FilterImpl;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The broker-side filters of the ERP, CRM and notification subscriptions (issue 17: an event no route acts on
 * should not cost a delivery), with the packaged defaults of application.yaml, evaluated by Artemis' own filter
 * engine on messages carrying the {@code eventType} property the relay sets.
 */
class SubscriptionFiltersTest {

    private static BrokerQueues queues;

    /** application.yaml as packaged, with no overrides but the machine's environment. */
    static StandardEnvironment packaged() throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        return env;
    }

    @BeforeAll
    static void defaults() throws IOException {
        StandardEnvironment env = packaged();
        queues = new BrokerQueues(env.getProperty("orderhub.jms.events-address"),
                env.getProperty("orderhub.inventory.reserve-queue"), env.getProperty("orderhub.inventory.allocate-queue"),
                env.getProperty("orderhub.payment.charge-queue"), env.getProperty("orderhub.payment.refund-queue"),
                env.getProperty("orderhub.sync.erp.queue"), env.getProperty("orderhub.sync.crm.queue"),
                env.getProperty("orderhub.notify.queue"), env.getProperty("orderhub.sync.erp.subscription-filter"),
                env.getProperty("orderhub.sync.crm.subscription-filter"),
                env.getProperty("orderhub.notify.subscription-filter"), env.getProperty("orderhub.outbound.subscription"),
                new PartnerSubscriptions(env));
    }

    @Test
    void theErpGetsTheEventsItsMappingMakesCallsForAndNoOthers() throws Exception {
        Filter erp = filter("erp.sync");
        for (String type : List.of("order.created", "order.replaced", "order.confirmed", "order.paid", "order.shipped",
                "order.cancelled", "return.received", "return.refunded", "return.credited")) {
            assertThat(erp.match(event(type))).as(type).isTrue();
        }
        for (String type : List.of("order.allocated", "order.delivered", "order.completed", "order.backordered",
                "shipment.packed", "shipment.labelled", "inventory.reorder-suggested")) {
            assertThat(erp.match(event(type))).as(type).isFalse();
        }
    }

    @Test
    void theCrmGetsEveryEventOfAnOrderReturnOrCustomerAsItsRouteWouldPassOn() throws Exception {
        Filter crm = filter("crm.sync");
        for (String type : List.of("order.created", "order.allocated", "order.completed", "return.requested",
                "customer.erased")) {
            assertThat(crm.match(event(type))).as(type).isTrue();
        }
        assertThat(crm.match(event("shipment.packed"))).isFalse();
        assertThat(crm.match(event("orders.x"))).as("a type that only starts like an order's").isFalse();
    }

    /** A template for an event type the filter leaves out would never be mailed: this fails when one is added alone. */
    @Test
    void theNotifierGetsEveryEventThatHasATemplateAndNoOther() throws Exception {
        Filter notify = filter("notify.customer");
        List<String> templated;
        try (Stream<Path> files = Files.list(Path.of("mappings/templates/en"))) {
            templated = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".html.ftlh"))
                    .map(f -> f.substring(0, f.length() - ".html.ftlh".length()))
                    .filter(t -> !t.equals("layout") && !t.equals("receipt-rejected"))
                    .map(t -> t.replaceFirst("-", ".")).toList();
        }
        assertThat(templated).contains("order.confirmed", "order.shipped", "return.refunded");
        for (String type : templated) {
            assertThat(notify.match(event(type))).as(type + " has a template").isTrue();
        }
        for (String type : List.of("order.created", "order.allocated", "order.completed", "shipment.packed")) {
            assertThat(notify.match(event(type))).as(type).isFalse();
        }
    }

    /** Issue 17: events of channels without partner documents never reach the partner documents' queue. */
    @Test
    void thePartnerDocumentsGetTheirEventsOfChannelsWithPartnerDocumentsAndOfOlderHubs() throws Exception {
        Filter outbound = filter("b2b.outbound");
        for (String type : List.of("order.confirmed", "order.backordered", "order.shipped", "order.delivered",
                "return.refunded")) {
            assertThat(outbound.match(event(type, true))).as(type + " of a B2B channel").isTrue();
            assertThat(outbound.match(event(type, false))).as(type + " of a channel without documents").isFalse();
            assertThat(outbound.match(event(type))).as(type + " published without the property").isTrue();
        }
        for (String type : List.of("order.created", "order.paid", "order.completed", "shipment.packed",
                "return.received", "return.credited")) {
            assertThat(outbound.match(event(type, true))).as(type).isFalse();
        }
    }

    @Test
    void aBlankSettingMeansEveryEvent() {
        assertThat(BrokerQueues.filtered(BrokerQueues.of("orders.events", "erp.sync", null), "  ").filter()).isNull();
        assertThat(BrokerQueues.filtered(BrokerQueues.of("orders.events", "erp.sync", null), null).filter()).isNull();
    }

    private static Filter filter(String queue) throws Exception {
        String expression = queues.subscriptions().stream().filter(s -> s.queue().equals(queue)).findFirst()
                .orElseThrow().filter();
        assertThat(expression).as(queue + " has a filter").isNotBlank();
        return FilterImpl.createFilter(expression);
    }

    private static CoreMessage event(String type, boolean partnerDocuments) {
        CoreMessage m = event(type);
        m.putBooleanProperty(SimpleString.of(io.orderhub.messaging.EventPublisher.PARTNER_DOCUMENTS), partnerDocuments);
        return m;
    }

    private static CoreMessage event(String type) {
        CoreMessage m = new CoreMessage(1, 256);
        m.putStringProperty(SimpleString.of("eventType"), SimpleString.of(type));
        m.putStringProperty(SimpleString.of("orderId"), SimpleString.of("ORD-1"));
        return m;
    }
}
