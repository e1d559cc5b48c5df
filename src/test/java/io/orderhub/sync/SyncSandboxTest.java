package io.orderhub.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole way out through the in-hub sandboxes (routes/erp-sync.camel.yaml, routes/crm-sync.camel.yaml):
 * the suite's WireMock ERP and CRM forward to /sandbox/erp and /sandbox/crm, which store what they
 * receive. An order created and cancelled shows up once per change; the same event delivered again
 * changes nothing.
 */
class SyncSandboxTest extends HubTestSupport {

    @Autowired
    private io.orderhub.security.EventSignatures signatures;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;

    private final List<StubMapping> stubs = new ArrayList<>();

    @BeforeEach
    void forwardToSandboxes() {
        for (String system : List.of("erp", "crm")) {
            stubs.add(SyncTargetsServer.server().stubFor(any(urlPathMatching("/" + system + "/.*")).atPriority(5)
                    .willReturn(aResponse().proxiedFrom("http://localhost:" + port + "/sandbox"))));
        }
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(SyncTargetsServer.server()::removeStub);
    }

    @Test
    void sandboxesShowEachOrderOncePerChangeAndARedeliveredEventChangesNothing() throws Exception {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        assertThat(postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"changed my mind\"}").status())
                .isEqualTo(200);

        // the CRM keeps the latest state (crmLatestStateOnly): the created event is passed over when the cancel was
        // committed before the CRM consumer got to it, so it receives 2 or 4 upserts, the cancel's always last
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(received("erp", orderId)).hasSize(2);
            JsonNode crm = received("crm", orderId);
            assertThat(crm.size()).isIn(2, 4);
            assertThat(crm.get(crm.size() - 1).at("/body/Status__c").asText()).isEqualTo("CANCELLED");
        });
        JsonNode erp = received("erp", orderId);
        assertThat(erp.get(0).get("path").asText()).isEqualTo("/sales-orders/" + orderId);
        assertThat(erp.get(0).at("/body/salesOrderNo").asText()).isEqualTo(orderId);
        assertThat(erp.get(0).at("/body/lines").size()).isEqualTo(2);
        assertThat(erp.get(0).at("/body/lines/0/unitPrice").decimalValue()).isEqualByComparingTo("9.50");
        assertThat(erp.get(0).at("/body/total").decimalValue()).isEqualByComparingTo("51.19");
        assertThat(erp.get(1).get("path").asText()).isEqualTo("/sales-orders/" + orderId + "/status");
        assertThat(erp.get(1).at("/body/status").asText()).isEqualTo("cancelled");
        assertThat(erp.get(1).at("/body/reason").asText()).isEqualTo("changed my mind");

        JsonNode crm = received("crm", orderId);
        int last = crm.size() - 2;
        assertThat(crm.get(0).get("path").asText()).isEqualTo("/sobjects/Account/OrderHub_Customer_Id__c/webshop-CUST-42");
        assertThat(crm.get(0).at("/body/Name").asText()).isEqualTo("Erika Mustermann");
        assertThat(crm.get(0).at("/body/Last_Order_Status__c").asText()).isIn("CREATED", "CANCELLED");
        assertThat(crm.get(1).get("path").asText()).isEqualTo("/sobjects/OrderHub_Order__c/OrderHub_Order_Id__c/" + orderId);
        assertThat(crm.get(last + 1).at("/body/Status__c").asText()).isEqualTo("CANCELLED");
        assertThat(crm.get(last).at("/body/Last_Order_Status__c").asText()).isEqualTo("CANCELLED");

        List<String> processed = jdbc.queryForList("select target || ':' || outcome from sync_processed_events"
                + " where order_id = ? order by target, processed_at", String.class, orderId);
        assertThat(processed).containsSubsequence("crm:DELIVERED", "erp:DELIVERED", "erp:DELIVERED")
                .hasSize(2 + crm.size() / 2);
        assertThat(jdbc.queryForObject("select last_status from sync_state where target = 'erp' and order_id = ?",
                String.class, orderId)).isEqualTo("CANCELLED");

        // the broker hands the created event to the ERP again: no second call, no second record
        String created = outboxPayload(orderId, "order.created");
        int callsBefore = SyncTargetsServer.server().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathMatching("/erp/sales-orders"))).size();
        String eventId = json.readTree(created).get("eventId").asText();
        NotifyBuilder redelivered = new NotifyBuilder(camel).fromRoute("syncErp")
                .filter(e -> String.valueOf(e.getProperty("syncPayload", String.class)).contains(eventId)).whenDone(1).create();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // to this subscription only: its fully qualified name on the multicast address
            MessageProducer producer = session.createProducer(session.createTopic("orders.events::erp.sync"));
            TextMessage again = session.createTextMessage(created);
            again.setStringProperty("JMSXGroupID", orderId);
            // as the relay published it: signed (an unsigned copy would be dead-lettered, BrokerSecurityTest)
            again.setStringProperty("eventType", "order.created");
            again.setStringProperty("orderId", orderId);
            again.setStringProperty(io.orderhub.security.EventSignatures.PROPERTY,
                    signatures.sign("order.created", orderId, created));
            producer.send(again);
        }
        assertThat(redelivered.matches(20, TimeUnit.SECONDS)).as("the repeated event was consumed").isTrue();
        assertThat(received("erp", orderId)).hasSize(2);
        assertThat(SyncTargetsServer.server().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathMatching("/erp/sales-orders"))))
                .hasSize(callsBefore);
    }

    @Test
    void receivedNeedsAnOperatorKey() {
        assertThat(get("/sandbox/erp/received", null).status()).isEqualTo(401);
        assertThat(get("/sandbox/crm/received", WEBSHOP_KEY).status()).isEqualTo(403);
        Response ok = get("/sandbox/crm/received?limit=1", ADMIN_KEY);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().isArray()).isTrue();
    }

    private JsonNode received(String system, String orderId) {
        Response r = get("/sandbox/" + system + "/received?contains=" + orderId, OPS_KEY);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

}
