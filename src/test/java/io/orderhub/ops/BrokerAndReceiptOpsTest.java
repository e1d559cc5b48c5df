package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * Rejected receipts listed and replayed in bulk from the operations side, and the broker's dead
 * letter queues browsed, replayed to their origin and discarded over REST (all audited).
 */
class BrokerAndReceiptOpsTest extends HubTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void rejectedReceiptsAreListedWithAReplayLinkAndReplayedByFilter() {
        ObjectNode bad = order();
        bad.remove("lines");
        Response rejected = postJson("/api/orders", B2B_KEY, bad);
        assertThat(rejected.status()).isEqualTo(422);
        String receiptId = rejected.header("X-Receipt-Id");

        JsonNode listed = get("/api/ops/receipts?channel=b2b&newerThan=PT10M&limit=1000", OPS_KEY).body();
        JsonNode mine = null;
        for (JsonNode r : listed) {
            assertThat(r.get("status").asText()).isEqualTo("REJECTED");
            if (r.get("receiptId").asText().equals(receiptId)) {
                mine = r;
            }
        }
        assertThat(mine).as("receipt " + receiptId + " in " + listed).isNotNull();
        assertThat(mine.at("/links/replay").asText()).isEqualTo("/api/receipts/" + receiptId + "/replay");
        assertThat(mine.get("errors").findValuesAsText("field")).contains("/lines");
        assertThat(get("/api/ops/receipts?channel=b2b&olderThan=P1D&newerThan=P2D", OPS_KEY).body())
                .noneMatch(r -> r.get("receiptId").asText().equals(receiptId));
        assertThat(get("/api/ops/receipts?status=LOST", OPS_KEY).status()).isEqualTo(400);

        assertThat(postJson("/api/ops/receipts/replay", OPS_KEY, "{}").status()).isEqualTo(422);
        Response replay = postJson("/api/ops/receipts/replay", OPS_KEY, "{\"ids\":[\"" + receiptId + "\"]}");
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.body().get("matched").asInt()).isEqualTo(1);
        assertThat(replay.body().get("stillRejected").asInt()).isEqualTo(1);
        assertThat(replay.body().at("/receipts/0/after").asText()).isEqualTo("REJECTED");
        assertThat(get("/api/receipts/" + receiptId, OPS_KEY).body().get("attempts").asInt()).isEqualTo(2);
        JsonNode audit = get("/api/ops/audit?target=" + receiptId, OPS_KEY).body();
        assertThat(audit.get(0).get("action").asText()).isEqualTo("receipt.replay");
        assertThat(audit.get(0).get("detail").asText()).startsWith("bulk replay");
    }

    @Test
    void aDeadLetteredBrokerMessageIsBrowsedReplayedToItsQueueOnceFixedAndAnotherDiscarded() {
        // a stock level for a product the hub does not know yet: dead-lettered with the reason
        String sku = "OPS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String updateId = send("{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"eu-central\", \"onHand\": 7}]}");
        String queue = "/api/ops/broker/dead-letters/erp.stock-updates.DLQ";
        JsonNode first = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(queue, updateId), m -> m != null);
        assertThat(first.get("originalQueue").asText()).isEqualTo("erp.stock-updates");
        assertThat(first.get("reason").asText()).contains("/levels/0/sku").contains(sku);
        assertThat(first.get("preview").asText()).contains(sku);
        assertThat(get("/api/ops/broker/dead-letters", OPS_KEY).body().get("queues").get("erp.stock-updates.DLQ").asInt())
                .isPositive();
        assertThat(get("/api/ops/broker/dead-letters", OPS_KEY).body().get("queues").has("orders.inbound.DLQ")).isTrue();
        assertThat(get("/api/ops/broker/dead-letters/no.such.queue", OPS_KEY).status()).isEqualTo(404);

        // the product is created; the replayed message now applies
        Response product = put("/api/products/" + sku, Map.of("description", "ops test " + sku, "unitPrice", 10,
                "currency", "EUR", "weightKg", 0.5));
        assertThat(product.status()).as(product.toString()).isEqualTo(201);
        String firstId = first.get("messageId").asText();
        Response replay = postJson(queue + "/" + firstId + "/replay", OPS_KEY, "");
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.body().get("replayedTo").asText()).isEqualTo("erp.stock-updates");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(onHand(sku, "eu-central")).isEqualTo(7));
        assertThat(messageOf(queue, updateId)).isNull();
        assertThat(postJson(queue + "/" + firstId + "/replay", OPS_KEY, "").status()).isEqualTo(404);
        JsonNode replayAudit = get("/api/ops/audit?target=erp.stock-updates.DLQ/" + firstId, OPS_KEY).body();
        assertThat(replayAudit.get(0).get("action").asText()).isEqualTo("brokerDeadLetter.replay");
        assertThat(replayAudit.get(0).get("after").asText()).isEqualTo("erp.stock-updates");

        // a message that will never apply is discarded with a reason
        String poison = send("{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"eu-central\", \"onHand\": \"many\"}]}");
        JsonNode bad = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(queue, poison), m -> m != null);
        String badId = bad.get("messageId").asText();
        assertThat(postJson(queue + "/" + badId + "/discard", OPS_KEY, "{}").status()).isEqualTo(422);
        Response discard = postJson(queue + "/" + badId + "/discard", OPS_KEY, "{\"reason\":\"ERP sent text for a quantity\"}");
        assertThat(discard.status()).as(discard.toString()).isEqualTo(200);
        assertThat(messageOf(queue, poison)).isNull();
        JsonNode audit = get("/api/ops/audit?target=erp.stock-updates.DLQ/" + badId, OPS_KEY).body();
        assertThat(audit.get(0).get("action").asText()).isEqualTo("brokerDeadLetter.discard");
        assertThat(audit.get(0).get("detail").asText()).isEqualTo("ERP sent text for a quantity");
        assertThat(onHand(sku, "eu-central")).isEqualTo(7);
    }

    private String send(String body) {
        String updateId = "U" + UUID.randomUUID().toString().replace('-', 'x');
        new JmsTemplate(connectionFactory).send("erp.stock-updates", session -> {
            Message m = session.createTextMessage(body);
            m.setStringProperty("updateId", updateId);
            return m;
        });
        return updateId;
    }

    private int onHand(String sku, String warehouse) {
        for (JsonNode w : get("/api/inventory/" + sku, OPS_KEY).body().get("warehouses")) {
            if (w.get("warehouse").asText().equals(warehouse)) {
                return w.get("onHand").asInt();
            }
        }
        return -1;
    }

    private Response put(String path, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return send(request, bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode messageOf(String queue, String updateId) {
        Response r = get(queue + "?limit=1000", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode m : r.body()) {
            if (updateId.equals(m.at("/properties/updateId").asText())) {
                return m;
            }
        }
        return null;
    }
}
