package io.orderhub.sync.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import java.time.Duration;

import io.orderhub.inventory.InventoryTestSupport;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

import static org.awaitility.Awaitility.await;

/** Customer updates from the CRM: stored, readable with their credit limit, stale ones ignored, bad ones named. */
class CrmCustomersTest extends InventoryTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void customerUpdatesFromTheQueueAreStoredAndPoisonIsDeadLettered() throws Exception {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(30_000);
        String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        send(jms, id, "{\"externalId\": \"" + id + "\", \"name\": \"Grace Hopper\", \"creditLimit\": 1200.25, \"currency\": \"USD\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("/api/customers/" + id, OPS_KEY).status()).isEqualTo(200));
        assertThat(get("/api/customers/" + id, OPS_KEY).body().get("creditLimit").decimalValue()).isEqualByComparingTo("1200.25");

        String bad = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        send(jms, bad, "{\"externalId\": \"" + bad + "\", \"name\": \"X\", \"creditLimit\": \"lots\", \"currency\": \"USD\"}");
        Message dead = jms.receiveSelected("crm.customer-updates.DLQ", "testId = '" + bad + "'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("OrderHubFailureReason")).startsWith("/creditLimit: must be an amount of at least 0");
        assertThat(dead.getStringProperty("OrderHubOriginalQueue")).isEqualTo("crm.customer-updates");
        assertThat(get("/api/customers/" + bad, OPS_KEY).status()).isEqualTo(404);
    }

    private static void send(JmsTemplate jms, String testId, String body) {
        jms.send("crm.customer-updates", session -> {
            Message m = session.createTextMessage(body);
            m.setStringProperty("testId", testId);
            return m;
        });
    }

    @Test
    void aCreditLimitUpdateIsStoredAndReadable() {
        String id = "webshop-C" + UUID.randomUUID().toString().substring(0, 8);
        Response created = put("/api/customers/" + id, OPS_KEY, Map.of("name", "Ada Lovelace", "email", "ada@example.com",
                "company", "Analytical Engines Ltd", "creditLimit", new BigDecimal("5000.00"), "currency", "EUR",
                "updatedAt", "2026-01-10T09:00:00Z"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        Response raised = put("/api/customers/" + id, OPS_KEY, Map.of("name", "Ada Lovelace", "email", "ada@example.com",
                "creditLimit", new BigDecimal("7500.50"), "currency", "EUR", "updatedAt", "2026-01-11T09:00:00+01:00"));
        assertThat(raised.status()).as(raised.toString()).isEqualTo(200);

        Response read = get("/api/customers/" + id, OPS_KEY);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().get("creditLimit").decimalValue()).isEqualByComparingTo("7500.50");
        assertThat(read.body().get("currency").asText()).isEqualTo("EUR");
        assertThat(read.body().get("email").asText()).isEqualTo("ada@example.com");
        assertThat(read.body().get("crmUpdatedAt").asText()).isEqualTo("2026-01-11T08:00:00Z");
        assertThat(jdbc.queryForObject("select credit_limit from customers where external_id = ?", BigDecimal.class, id))
                .isEqualByComparingTo("7500.50");

        // an update older than the stored one (arrived late) changes nothing
        Response stale = put("/api/customers/" + id, OPS_KEY, Map.of("name", "Ada Lovelace",
                "creditLimit", 100, "currency", "EUR", "updatedAt", "2026-01-10T12:00:00Z"));
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body().get("stale").asBoolean()).isTrue();
        assertThat(get("/api/customers/" + id, OPS_KEY).body().get("creditLimit").decimalValue()).isEqualByComparingTo("7500.50");
    }

    @Test
    void badCustomerDataIsNamedAndUnknownCustomersAre404() {
        String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        Response bad = put("/api/customers/" + id, OPS_KEY, Map.of("creditLimit", -1, "email", "not-an-address"));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field"))
                .contains("/name", "/creditLimit", "/email");
        assertThat(jdbc.queryForObject("select count(*) from customers where external_id = ?", Integer.class, id)).isZero();

        assertThat(get("/api/customers/" + id, OPS_KEY).status()).isEqualTo(404);
        assertThat(get("/api/customers/" + id, WEBSHOP_KEY).status()).as("customer data is for operators").isEqualTo(403);
    }
}
