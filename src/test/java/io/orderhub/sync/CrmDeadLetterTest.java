package io.orderhub.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 400 from the CRM (WireMock, Salesforce's error list) puts the event into the dead letters at
 * once (one call, no retries), visible at GET /api/ops/dead-letters; once the CRM accepts the
 * record, POST /api/ops/dead-letters/{id}/replay delivers it and marks it REPLAYED.
 */
class CrmDeadLetterTest extends HubTestSupport {

    private StubMapping refusal;

    @AfterEach
    void removeStub() {
        if (refusal != null) {
            SyncTargetsServer.server().removeStub(refusal);
        }
    }

    @Test
    void a400GoesToTheDeadLettersAtOnceAndReplaysOnceTheCrmAcceptsIt() throws Exception {
        String customer = "BAD-" + UUID.randomUUID();
        String url = "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-" + customer;
        refusal = SyncTargetsServer.server().stubFor(patch(urlEqualTo(url)).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"Email: invalid email address\",\"errorCode\":\"INVALID_EMAIL_ADDRESS\",\"fields\":[\"Email__c\"]}]")));
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("externalId", customer);
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();

        JsonNode letter = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(orderId), l -> l != null);
        assertThat(letter.get("target").asText()).isEqualTo("crm");
        assertThat(letter.get("eventType").asText()).isEqualTo("order.created");
        assertThat(letter.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(letter.get("status").asText()).isEqualTo("OPEN");
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertThat(letter.get("reason").asText()).contains("answered 400").contains("INVALID_EMAIL_ADDRESS");
        assertThat(SyncTargetsServer.server().findAll(patchRequestedFor(urlEqualTo(url)))).hasSize(1);
        assertThat(jdbc.queryForObject("select outcome from sync_processed_events where target = 'crm' and event_id = ?",
                String.class, letter.get("eventId").asText())).isEqualTo("DEAD_LETTER");

        assertThat(get("/api/ops/dead-letters", WEBSHOP_KEY).status()).isEqualTo(403);
        Response stillRefused = postJson("/api/ops/dead-letters/" + letter.get("id").asLong() + "/replay", OPS_KEY, "{}");
        assertThat(stillRefused.status()).as(stillRefused.toString()).isEqualTo(422);
        assertThat(stillRefused.header("Content-Type")).startsWith("application/problem+json");

        SyncTargetsServer.server().removeStub(refusal);
        refusal = null;
        Response replayed = postJson("/api/ops/dead-letters/" + letter.get("id").asLong() + "/replay", OPS_KEY, "{}");
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
        assertThat(replayed.body().get("status").asText()).isEqualTo("REPLAYED");
        assertThat(replayed.body().get("attempts").asInt()).isEqualTo(3);
        assertThat(SyncTargetsServer.server().findAll(patchRequestedFor(urlEqualTo(url)))).hasSize(3);
        assertThat(jdbc.queryForObject("select last_status from sync_state where target = 'crm' and order_id = ?",
                String.class, orderId)).isEqualTo("CREATED");
        assertThat(postJson("/api/ops/dead-letters/" + letter.get("id").asLong() + "/replay", OPS_KEY, "{}").status())
                .isEqualTo(409);
        assertThat(postJson("/api/ops/dead-letters/abc/replay", ADMIN_KEY, "{}").status()).isEqualTo(400);
        assertThat(postJson("/api/ops/dead-letters/999999999/replay", ADMIN_KEY, "{}").status()).isEqualTo(404);
    }

    @Test
    void a500IsRetriedWithBackoffThenDeadLettered() {
        String customer = "ERR-" + UUID.randomUUID();
        String url = "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-" + customer;
        refusal = SyncTargetsServer.server().stubFor(patch(urlEqualTo(url)).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("internal error")));
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("externalId", customer);
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();

        JsonNode letter = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(orderId), l -> l != null);
        // orderhub.sync.retry.max-redeliveries is 2 in the test profile: 3 attempts in all
        assertThat(letter.get("attempts").asInt()).isEqualTo(3);
        assertThat(letter.get("httpStatus").asInt()).isEqualTo(500);
        assertThat(SyncTargetsServer.server().findAll(patchRequestedFor(urlEqualTo(url)))).hasSize(3);
    }

    private JsonNode deadLetterOf(String orderId) {
        Response r = get("/api/ops/dead-letters?status=OPEN", OPS_KEY);
        assertThat(r.status()).isEqualTo(200);
        return StreamSupport.stream(r.body().spliterator(), false)
                .filter(l -> l.get("orderId").asText().equals(orderId)).findFirst().orElse(null);
    }
}
