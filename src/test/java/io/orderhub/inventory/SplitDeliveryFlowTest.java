package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 7, line-level ship-to through the real intake: an X12 850 whose PO1 loops name two ship-to
 * addresses becomes two orders (207), each referring to the purchase order in source.documentId; the 997 answers
 * the one transaction set; the same document again finds both orders and makes none.
 */
class SplitDeliveryFlowTest extends InventoryTestSupport {

    @Test
    void anX12OrderWithTwoShipTosBecomesTwoOrdersReferringToThePurchaseOrder() {
        String first = product(5, 0);
        String second = product(5, 0);
        String po = "PO-SPLIT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replaceAll("[0-9]", "X");
        String set = String.join("~\n", "ST*850*0001", "BEG*00*SA*" + po + "**20260115", "N1*BY*Acme Stores*92*ACME01",
                "N1*ST*Acme Store 12", "N3*100 Main Street", "N4*Springfield*IL*62701",
                "PO1*1*2*EA*10**VN*" + first, "PO1*2*1*EA*10**VN*" + second,
                "N1*ST*Acme Store 40", "N3*5 Lake Road", "N4*Madison*WI*53703",
                "CTT*2", "AMT*TT*30", "SE*14*0001") + "~\n";
        String edi = "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *260115*1015*U*00401*000000931*0*P*>~\n"
                + "GS*PO*ACMEBUYER*ORDERHUB*20260115*1015*931*X*004010~\n" + set + "GE*1*931~\nIEA*1*000000931~\n";
        byte[] body = edi.getBytes(StandardCharsets.UTF_8);

        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", body);

        assertThat(r.status()).as(r.toString()).isEqualTo(207);
        assertThat(r.body().get("results").findValuesAsText("status")).containsExactly("CREATED", "CREATED");
        JsonNode one = get("/api/orders/" + r.body().at("/results/0/orderId").asText(), OPS_KEY).body();
        JsonNode two = get("/api/orders/" + r.body().at("/results/1/orderId").asText(), OPS_KEY).body();
        assertThat(one.get("externalId").asText()).isEqualTo(po + "-1");
        assertThat(two.get("externalId").asText()).isEqualTo(po + "-2");
        assertThat(one.at("/source/documentId").asText()).isEqualTo(po);
        assertThat(two.at("/source/documentId").asText()).isEqualTo(po);
        assertThat(one.at("/shipTo/city").asText()).isEqualTo("Springfield");
        assertThat(two.at("/shipTo/city").asText()).isEqualTo("Madison");
        assertThat(one.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("20");
        assertThat(two.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("10");
        assertThat(two.at("/lines/0/lineNo").asInt()).isEqualTo(2);
        String receiptId = r.header("X-Receipt-Id");
        assertThat(jdbc.queryForObject("select acknowledgement from receipts where receipt_id = ?", String.class, receiptId))
                .contains("AK2*850*0001~\nAK5*A~").contains("AK9*A*1*1*1~");

        Response again = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", body);
        assertThat(again.status()).as(again.toString()).isEqualTo(207);
        assertThat(again.body().get("results").findValuesAsText("status")).containsExactly("DUPLICATE", "DUPLICATE");
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'b2b' and external_id like ?",
                Integer.class, po + "%")).isEqualTo(2);
    }
}
