package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 18 item 6, the document's purpose: the preview checks a cancellation, replacement, change or copy against
 * the stored order (OrderAmendments.foresee) and says what would happen; the submission sent right after does
 * exactly that, and the preview itself changes nothing.
 */
class PreviewForeseesDocumentPurposeTest extends InventoryTestSupport {

    @Autowired
    OrderService orders;
    @Autowired
    TransactionTemplate tx;

    private static ObjectNode with(ObjectNode order, String purpose) {
        ObjectNode copy = order.deepCopy();
        copy.put("purpose", purpose);
        return copy;
    }

    private JsonNode preview(String contentType, byte[] body) {
        Response r = post("/api/mappings/preview?channel=webshop", OPS_KEY, contentType, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orders")).hasSize(1);
        return r.body().at("/orders/0");
    }

    private JsonNode preview(ObjectNode order) {
        return preview("application/json", order.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<String> timeline(String orderId) {
        return jdbc.queryForList("select type from order_events where order_id = ? order by id", String.class, orderId);
    }

    private void moveTo(String orderId, OrderStatus... path) {
        tx.executeWithoutResult(s -> {
            for (OrderStatus to : path) {
                orders.transition(orderId, to, "order." + to.name().toLowerCase(), "test");
            }
        });
    }

    @Test
    void aCancellationIsForeseenThenDoneAndThenSeenAsDoneAlready() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        List<String> before = timeline(orderId);

        JsonNode would = preview(with(order, "CANCEL"));

        assertThat(would.get("outcome").asText()).isEqualTo("CANCEL");
        assertThat(would.get("existingOrderId").asText()).isEqualTo(orderId);
        assertThat(would.get("valid").asBoolean()).isTrue();
        assertThat(would.get("detail").asText()).contains(orderId).contains("CONFIRMED").contains("would be cancelled");
        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(timeline(orderId)).isEqualTo(before);
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(3);

        Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, "CANCEL"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("CANCELLED");

        JsonNode again = preview(with(order, "CANCEL"));
        assertThat(again.get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(again.get("detail").asText()).contains("already CANCELLED");
    }

    @Test
    void aCancellationOfAShippedOrderIsForeseenAsRefusedWithTheReasonTheSubmissionGives() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        moveTo(orderId, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED);

        JsonNode would = preview(with(order, "CANCEL"));

        assertThat(would.get("outcome").asText()).isEqualTo("REFUSE");
        assertThat(would.get("valid").asBoolean()).isFalse();
        assertThat(would.get("existingOrderId").asText()).isEqualTo(orderId);
        assertThat(would.at("/errors/0/field").asText()).isEqualTo("/purpose");
        assertThat(would.at("/errors/0/message").asText()).contains("is SHIPPED").contains("cannot recall");

        Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, "CANCEL"));
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.body().at("/errors/0/message").asText()).isEqualTo(would.at("/errors/0/message").asText());
        assertThat(status(orderId)).isEqualTo("SHIPPED");
    }

    @Test
    void anUnknownOrderIsForeseenForEveryPurposeAsTheSubmissionRefusesIt() {
        ObjectNode order = orderFor("DE", product(1, 0), 1);
        for (String purpose : List.of("CANCEL", "REPLACE", "DUPLICATE")) {
            JsonNode would = preview(with(order, purpose));
            assertThat(would.get("outcome").asText()).as(purpose).isEqualTo("UNKNOWN_ORDER");
            assertThat(would.hasNonNull("existingOrderId")).isFalse();

            Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, purpose));
            assertThat(r.status()).as(purpose + " " + r).isEqualTo(422);
            assertThat(r.body().get("errors")).isEqualTo(would.get("errors"));
        }
    }

    @Test
    void aReplacementIsForeseenWithItsChangesThenDone() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        ObjectNode replacement = orderFor("DE", sku, 4);
        replacement.put("externalId", order.get("externalId").asText());

        JsonNode would = preview(with(replacement, "REPLACE"));

        assertThat(would.get("outcome").asText()).as(would.toString()).isEqualTo("REPLACE");
        assertThat(would.get("existingOrderId").asText()).isEqualTo(orderId);
        assertThat(would.get("detail").asText()).contains("1: 2 x " + sku + "] -> [1: 4 x " + sku + "]")
                .contains("20.00 -> 40.00");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(2);
        assertThat(timeline(orderId)).doesNotContain("order.replaced");

        Response r = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().at("/lines/0/quantity").asInt()).isEqualTo(4);

        // the same replacement again changes nothing: the preview says so
        assertThat(preview(with(replacement, "REPLACE")).get("outcome").asText()).isEqualTo("DUPLICATE");
    }

    @Test
    void aReplacementShortOfStockOrAfterShippingIsForeseenAsRefused() {
        String sku = product(3, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        ObjectNode tooMany = orderFor("DE", sku, 9);
        tooMany.put("externalId", order.get("externalId").asText());

        JsonNode short_ = preview(with(tooMany, "REPLACE"));
        assertThat(short_.get("outcome").asText()).as(short_.toString()).isEqualTo("REFUSE");
        assertThat(short_.at("/errors/0/message").asText()).contains("stock is short").contains("9 wanted, 3 available");
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(tooMany, "REPLACE"));
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.body().at("/errors/0/message").asText()).isEqualTo(short_.at("/errors/0/message").asText());

        // 3 wanted: the 2 the order holds and the 1 free in the warehouse
        ObjectNode three = orderFor("DE", sku, 3);
        three.put("externalId", order.get("externalId").asText());
        assertThat(preview(with(three, "REPLACE")).get("outcome").asText()).isEqualTo("REPLACE");

        // a state no stage moves on from by itself here (no shipment to track)
        moveTo(orderId, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED);
        JsonNode paid = preview(with(three, "REPLACE"));
        assertThat(paid.get("outcome").asText()).isEqualTo("REFUSE");
        assertThat(paid.at("/errors/0/message").asText()).contains("is SHIPPED").contains("can no longer be replaced");
        Response late = postJson("/api/orders", WEBSHOP_KEY, with(three, "REPLACE"));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.body().at("/errors/0/message").asText()).isEqualTo(paid.at("/errors/0/message").asText());
    }

    @Test
    void aCopyIsForeseenAsAnsweredWithTheStoredOrder() {
        ObjectNode order = orderFor("DE", product(5, 0), 1);
        String orderId = submit(WEBSHOP_KEY, order);

        JsonNode would = preview(with(order, "DUPLICATE"));

        assertThat(would.get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(would.get("existingOrderId").asText()).isEqualTo(orderId);
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, "DUPLICATE"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
    }

    @Test
    void anX12ChangeIsForeseenThenDoneAndAChangeOfAMissingLineIsForeseenAsRefused() {
        String sku = product(6, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String po = order.get("externalId").asText();
        byte[] change = x12("000000311", "BCH*04*SA*" + po + "***20240115", "POC*1*QI*5*5*EA*10**VN*" + sku);
        byte[] wrongLine = x12("000000312", "BCH*04*SA*" + po + "***20240115", "POC*7*QI*5*5*EA*10**VN*" + sku);

        JsonNode would = preview("application/edi-x12", change);
        assertThat(would.get("outcome").asText()).as(would.toString()).isEqualTo("CHANGE");
        assertThat(would.get("existingOrderId").asText()).isEqualTo(orderId);
        assertThat(would.get("detail").asText()).contains("would be changed").contains("20.00 -> 50.00");
        JsonNode refused = preview("application/edi-x12", wrongLine);
        assertThat(refused.get("outcome").asText()).isEqualTo("REFUSE");
        assertThat(refused.at("/errors/0/message").asText()).contains("line 7 is to be changed but the order has no line 7");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(2);

        Response r = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/edi-x12", change);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(5);
        Response no = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/edi-x12", wrongLine);
        assertThat(no.status()).as(no.toString()).isEqualTo(409);
        assertThat(no.body().at("/errors/0/message").asText()).isEqualTo(refused.at("/errors/0/message").asText());
    }

    private static byte[] x12(String control, String... set) {
        StringBuilder s = new StringBuilder();
        s.append("ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *240116*1015*U*00401*")
                .append(control).append("*0*P*>~\n");
        s.append("GS*PC*ACMEBUYER*ORDERHUB*20240116*1015*").append(Integer.parseInt(control)).append("*X*004010~\n");
        s.append("ST*860*0001~\n");
        for (String segment : set) {
            s.append(segment).append("~\n");
        }
        s.append("SE*").append(set.length + 2).append("*0001~\n");
        s.append("GE*1*").append(Integer.parseInt(control)).append("~\n");
        s.append("IEA*1*").append(control).append("~\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
