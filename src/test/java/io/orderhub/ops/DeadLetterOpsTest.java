package io.orderhub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters from the operations side: filters by target, reason, order and age; discard with a
 * required reason (audited with who, before and after); bulk replay by filter (refused without a
 * criterion, audited per letter), which leaves discarded letters alone.
 */
class DeadLetterOpsTest extends HubTestSupport {

    private final List<StubMapping> stubs = new ArrayList<>();

    @AfterEach
    void removeStubs() {
        stubs.forEach(s -> SyncTargetsServer.server().removeStub(s));
    }

    @Test
    void filterDiscardWithAReasonAndReplayTheRestByFilter() {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        String first = orderRefusedByTheCrm(marker);
        String second = orderRefusedByTheCrm(marker);

        JsonNode letters = await().atMost(Duration.ofSeconds(30)).until(
                () -> get("/api/ops/dead-letters?target=crm&reason=" + marker.toUpperCase(), OPS_KEY).body(),
                l -> l.size() == 2);
        assertThat(letters.findValuesAsText("orderId")).containsExactlyInAnyOrder(first, second);
        assertThat(get("/api/ops/dead-letters?target=erp&reason=" + marker, OPS_KEY).body()).isEmpty();
        assertThat(get("/api/ops/dead-letters?reason=" + marker + "&newerThan=PT1H", OPS_KEY).body()).hasSize(2);
        assertThat(get("/api/ops/dead-letters?reason=" + marker + "&olderThan=PT1H", OPS_KEY).body()).isEmpty();
        assertThat(get("/api/ops/dead-letters?reason=" + marker + "&orderId=" + first, OPS_KEY).body()).hasSize(1);
        // a limit given blank is refused naming it (the contract says integer), one left out takes the default
        Response blankLimit = get("/api/ops/dead-letters?limit=", OPS_KEY);
        assertThat(blankLimit.status()).isEqualTo(400);
        assertThat(blankLimit.body().toString()).contains("limit");
        Response badAge = get("/api/ops/dead-letters?olderThan=yesterday&status=LOST", OPS_KEY);
        assertThat(badAge.status()).isEqualTo(400);
        assertThat(badAge.body().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("olderThan", "status");

        long firstId = letterOf(letters, first).get("id").asLong();
        Response noReason = postJson("/api/ops/dead-letters/" + firstId + "/discard", OPS_KEY, "{}");
        assertThat(noReason.status()).as(noReason.toString()).isEqualTo(422);
        assertThat(noReason.body().at("/errors/0/field").asText()).isEqualTo("/reason");
        Response discarded = postJson("/api/ops/dead-letters/" + firstId + "/discard", OPS_KEY,
                "{\"reason\":\"customer record fixed by hand in the CRM\"}");
        assertThat(discarded.status()).as(discarded.toString()).isEqualTo(200);
        assertThat(discarded.body().get("status").asText()).isEqualTo("DISCARDED");
        assertThat(discarded.body().get("resolution").asText()).isEqualTo("customer record fixed by hand in the CRM");
        assertThat(postJson("/api/ops/dead-letters/" + firstId + "/discard", OPS_KEY, "{\"reason\":\"again\"}").status())
                .isEqualTo(409);
        JsonNode audit = get("/api/ops/audit?target=dead-letter/" + firstId, OPS_KEY).body();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("action").asText()).isEqualTo("deadLetter.discard");
        assertThat(audit.get(0).get("actor").asText()).isEqualTo("test-ops");
        assertThat(audit.get(0).get("before").asText()).isEqualTo("OPEN");
        assertThat(audit.get(0).get("after").asText()).isEqualTo("DISCARDED");
        assertThat(audit.get(0).get("detail").asText()).contains("fixed by hand");

        Response everything = postJson("/api/ops/dead-letters/replay", OPS_KEY, "{}");
        assertThat(everything.status()).as("an empty filter is refused").isEqualTo(422);
        Response unknownField = postJson("/api/ops/dead-letters/replay", OPS_KEY, "{\"reason\":\"x\",\"status\":\"OPEN\"}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.body().at("/errors/0/field").asText()).isEqualTo("/status");

        stubs.forEach(s -> SyncTargetsServer.server().removeStub(s));
        stubs.clear();
        // the CRM takes the records now; the discarded letter is not delivered
        Response bulk = postJson("/api/ops/dead-letters/replay", ADMIN_KEY, "{\"reason\":\"" + marker + "\"}");
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.body().get("matched").asInt()).isEqualTo(1);
        assertThat(bulk.body().get("replayed").asInt()).isEqualTo(1);
        assertThat(bulk.body().get("failed").asInt()).isZero();
        assertThat(bulk.body().at("/letters/0/orderId").asText()).isEqualTo(second);
        assertThat(bulk.body().at("/letters/0/after").asText()).isEqualTo("REPLAYED");
        long secondId = bulk.body().at("/letters/0/id").asLong();
        JsonNode replayAudit = get("/api/ops/audit?target=dead-letter/" + secondId, OPS_KEY).body();
        assertThat(replayAudit.get(0).get("action").asText()).isEqualTo("deadLetter.replay");
        assertThat(replayAudit.get(0).get("actor").asText()).isEqualTo("test-admin");
        assertThat(replayAudit.get(0).get("after").asText()).isEqualTo("REPLAYED");
        assertThat(get("/api/ops/dead-letters?status=DISCARDED&reason=" + marker, OPS_KEY).body()).hasSize(1);
        assertThat(get("/api/ops/dead-letters?status=OPEN&reason=" + marker, OPS_KEY).body()).isEmpty();
        assertThat(postJson("/api/ops/dead-letters/replay", OPS_KEY, "{\"reason\":\"" + marker + "\"}").body()
                .get("matched").asInt()).as("nothing open is left").isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("/actuator/prometheus", null).text())
                .containsPattern("orderhub_dead_letters\\{[^}]*status=\"DISCARDED\"[^}]*target=\"crm\"[^}]*} [1-9]"));
    }

    private String orderRefusedByTheCrm(String marker) {
        String customer = "DL" + UUID.randomUUID().toString().replace('-', 'x');
        String url = "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-" + customer;
        stubs.add(SyncTargetsServer.server().stubFor(patch(urlEqualTo(url)).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"Email: invalid " + marker + "\",\"errorCode\":\"INVALID_EMAIL_ADDRESS\"}]"))));
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("externalId", customer);
        return postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();
    }

    private static JsonNode letterOf(JsonNode letters, String orderId) {
        for (JsonNode l : letters) {
            if (l.get("orderId").asText().equals(orderId)) {
                return l;
            }
        }
        throw new AssertionError("no letter of " + orderId);
    }
}
