package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * X12 860 and EDIFACT ORDCHG end to end: a change document sent for a channel changes the lines of the order
 * the channel sent before (stock re-reserved, timeline and outbox), a cancellation cancels it, a change of an
 * unknown order is refused naming it; the 997 / CONTRL stored with the receipt answers every transaction set.
 */
class ChangeDocumentFlowTest extends InventoryTestSupport {

    private int reserved(String orderId, String sku) {
        Integer n = jdbc.queryForObject("select coalesce(sum(quantity), 0) from reservations where order_id = ? and sku = ?",
                Integer.class, orderId, sku);
        return n == null ? 0 : n;
    }

    private String ack(String receiptId) {
        return jdbc.queryForObject("select acknowledgement from receipts where receipt_id = ?", String.class, receiptId);
    }

    private Response send(String contentType, String document) {
        return post("/api/channels/webshop/orders", WEBSHOP_KEY, contentType, document.getBytes(StandardCharsets.UTF_8));
    }

    private static String x12(String control, String... set) {
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
        return s.toString();
    }

    @Test
    void anX12ChangeChangesAQuantityAndAddsALineWithStockReReserved() {
        String first = product(6, 0);
        String second = product(2, 0);
        ObjectNode order = orderFor("DE", first, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String po = order.get("externalId").asText();

        Response r = send("application/edi-x12", x12("000000301", "BCH*04*SA*" + po + "***20240115",
                "POC*1*QI*5*5*EA*10**VN*" + first, "POC*2*AI*2*2*EA*10**VN*" + second));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        JsonNode stored = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(stored.at("/lines/0/quantity").asInt()).isEqualTo(5);
        assertThat(stored.at("/lines/0/lineTotal").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(stored.at("/lines/1/sku").asText()).isEqualTo(second);
        assertThat(stored.at("/totals/subtotal").decimalValue()).isEqualByComparingTo("70.00");
        assertThat(stored.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("70.00");
        assertThat(stored.at("/source/format").asText()).isEqualTo("x12-860");
        assertThat(reserved(orderId, first)).isEqualTo(5);
        assertThat(reserved(orderId, second)).isEqualTo(2);
        assertLedgerMatchesStock(first);
        assertLedgerMatchesStock(second);
        List<String> timeline = jdbc.queryForList("select detail from order_events where order_id = ? and type = 'order.replaced'",
                String.class, orderId);
        assertThat(timeline).singleElement().asString().startsWith("changed by the channel's x12-860 document");
        String receiptId = r.header("X-Receipt-Id");
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, receiptId))
                .isEqualTo("ACCEPTED");
        assertThat(ack(receiptId)).contains("AK2*860*0001").contains("AK5*A");
    }

    @Test
    void anX12ChangeThatDeletesALineOfAShippedOrderIsRefusedAndACancellationCancels() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1, sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String po = order.get("externalId").asText();

        Response unknownLine = send("application/edi-x12", x12("000000302", "BCH*04*SA*" + po, "POC*7*DI"));
        assertThat(unknownLine.status()).as(unknownLine.toString()).isEqualTo(409);
        assertThat(unknownLine.text()).contains("line 7 is to be deleted but the order has no line 7");
        assertThat(ack(unknownLine.header("X-Receipt-Id"))).contains("AK5*A");

        Response cancel = send("application/edi-x12", x12("000000303", "BCH*01*SA*" + po));
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(reserved(orderId, sku)).isZero();
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(5);
    }

    @Test
    void anOrdchgChangesTheOrderAndAChangeOfAnUnknownOrderIsRefusedNamingIt() {
        String sku = product(8, 0);
        ObjectNode order = orderFor("DE", sku, 2, sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String po = order.get("externalId").asText();
        String unknown = "NO-SUCH-" + po;
        String document = "UNA:+.? '\n"
                + "UNB+UNOC:3+4012345000009:14+5412345000013:14+240302:1200+CHG0002'\n"
                + "UNH+1+ORDCHG:D:96A:UN:EAN008'\nBGM+230+" + po + "+4'\n"
                + "LIN+1+3+" + sku + "'\nQTY+21:6'\nLIN+2+2+" + sku + "'\nUNS+S'\nUNT+7+1'\n"
                + "UNH+2+ORDCHG:D:96A:UN:EAN008'\nBGM+230+" + unknown + "+1'\nUNT+3+2'\n"
                + "UNZ+2+CHG0002'\n";

        Response r = send("application/edifact", document);

        assertThat(r.status()).as(r.toString()).isEqualTo(207);
        JsonNode results = r.body().get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("REPLACED");
        assertThat(results.get(0).get("orderId").asText()).isEqualTo(orderId);
        assertThat(results.get(1).get("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(1).at("/errors/0/message").asText()).contains("no order with externalId '" + unknown + "'");
        JsonNode stored = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(stored.get("lines")).hasSize(1);
        assertThat(stored.at("/lines/0/quantity").asInt()).isEqualTo(6);
        assertThat(reserved(orderId, sku)).isEqualTo(6);
        assertLedgerMatchesStock(sku);
        String contrl = ack(r.header("X-Receipt-Id"));
        assertThat(contrl).contains("UCM+1+ORDCHG").contains("UCM+2+ORDCHG");
    }
    @Test
    void anX12ChangeWithHeaderAllowanceChargeAndTaxAppliesThemAndATotalThatContradictsIsRefusedNamingIt() {
        String sku = product(9, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String po = order.get("externalId").asText();

        // 4 x 10.00 = 40.00; 5 % allowance (computed by the hub on the changed subtotal) = 2.00; freight 12.50
        // (SAC05 N2 1250); tax 3.80: 40.00 - 2.00 + 12.50 + 3.80 = 54.30
        Response wrong = send("application/edi-x12", x12("000000304", "BCH*04*SA*" + po + "***20240115",
                "SAC*A*C310****3*5", "SAC*C*D240***1250", "TXI*VA*3.80", "POC*1*QI*4*4*EA*10**VN*" + sku, "CTT*1",
                "AMT*TT*60.00"));
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(409);
        assertThat(wrong.text()).contains("/totals/grandTotal (segment 10 (AMT) element 2) is 60 but")
                .contains("is 54.3");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(2);

        Response r = send("application/edi-x12", x12("000000305", "BCH*04*SA*" + po + "***20240115",
                "SAC*A*C310****3*5", "SAC*C*D240***1250", "TXI*VA*3.80", "POC*1*QI*4*4*EA*10**VN*" + sku, "CTT*1",
                "AMT*TT*54.30"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode stored = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(stored.at("/lines/0/quantity").asInt()).isEqualTo(4);
        assertThat(stored.at("/totals/subtotal").decimalValue()).isEqualByComparingTo("40.00");
        assertThat(stored.at("/discounts/0/amount").decimalValue()).isEqualByComparingTo("2.00");
        assertThat(stored.at("/discounts/0/percent").decimalValue()).isEqualByComparingTo("5");
        assertThat(stored.at("/discounts/0/reason").asText()).isEqualTo("C310");
        assertThat(stored.at("/charges/0/amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(stored.at("/charges/0/reason").asText()).isEqualTo("D240");
        assertThat(stored.at("/totals/discount").decimalValue()).isEqualByComparingTo("2.00");
        assertThat(stored.at("/totals/shipping").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(stored.at("/totals/tax").decimalValue()).isEqualByComparingTo("3.80");
        assertThat(stored.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("54.30");
        assertThat(reserved(orderId, sku)).isEqualTo(4);
    }
}
