package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.outbound.EdiReading.Segment;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.shipping.ShippingTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The README tour's B2B step: the example partner's X12 850 (examples/order-x12-850-acme.edi) posted to the demo
 * channel b2b runs to DELIVERED, and the partner's EDI desk edi@b2b.example (mappings/channels.yaml, transport mail)
 * finds the 855, the 856 and the 810 in its sandbox mailbox, each attached as sent, read back with StAEDI and matched
 * to the order: PO number, lines, quantities, prices, carrier, tracking number, invoice total.
 */
class B2bTourMailTest extends ShippingTestSupport {

    private static final String PO = "PO-4010-3";

    @Autowired
    SandboxMailServer mailServer;

    @Test
    void theTourX12OrderRunToDeliveredMailsItsPartnerThe855The856AndThe810() throws Exception {
        // what the embedded default seeds (DemoCatalogue): the example's SKUs
        stock("WID-100", "19.99");
        stock("SKU-9", "5.00");

        byte[] example = Files.readAllBytes(Path.of("examples", "order-x12-850-acme.edi"));
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", example);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String orderId = r.body().get("orderId").asText();
        // the embedded default pays it on the credit of its registered buyer (DemoInvoiceCustomers); the suite pays b2b
        // by hand (orderhub.payment.manual-channels), so the operator's payment stands in; the warehouse packs by hand
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, io.orderhub.order.OrderStatus.PAID, "order.paid", "paid on invoice credit");
        awaitStatus(orderId, "ALLOCATED");
        List<String> shipmentIds = shipmentIds(orderId);
        assertThat(shipmentIds).hasSize(1);
        String shipmentId = shipmentIds.get(0);
        pack(shipmentId);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("order.delivered"));
        String tracking = jdbc.queryForObject("select tracking_number from shipments where shipment_id = ?", String.class,
                shipmentId);
        String carrier = jdbc.queryForObject("select carrier from shipments where shipment_id = ?", String.class, shipmentId);
        assertThat(tracking).isNotBlank();
        JsonNode order = get("/api/orders/" + orderId, OPS_KEY).body();
        assertThat(order.get("externalId").asText()).isEqualTo(PO);

        // 855: the order accepted, line by line
        PartnerMailbox.Mail ack = PartnerMailbox.await(mailServer, PartnerMailbox.B2B_DESK, orderId, "order-response");
        assertThat(ack.subject()).startsWith("X12 855 ");
        assertThat(ack.contentType()).startsWith("application/edi-x12");
        List<Segment> a = EdiReading.segments(ack.text());
        assertThat(a.get(0).e(8).strip()).isEqualTo("ACMEBUYER");
        assertThat(EdiReading.tagged(a, "ST").get(0).e(1)).isEqualTo("855");
        assertThat(EdiReading.tagged(a, "BAK").get(0).e(3)).isEqualTo(PO);
        assertThat(EdiReading.tagged(a, "PO1")).extracting(s -> s.elements().subList(0, 7)).containsExactly(
                List.of("1", "3", "EA", "19.99", "", "VP", "WID-100"), List.of("2", "2", "EA", "5", "", "VP", "SKU-9"));
        assertThat(EdiReading.tagged(a, "ACK")).extracting(Segment::elements)
                .containsExactly(List.of("IA", "3", "EA"), List.of("IA", "2", "EA"));
        assertThat(ack.fileName()).isEqualTo("order-response-" + Long.parseLong(a.get(0).e(13)) + ".edi");

        // 856: the parcel with its carrier and tracking number, the quantities shipped
        PartnerMailbox.Mail asn = PartnerMailbox.await(mailServer, PartnerMailbox.B2B_DESK, orderId, "ship-notice");
        assertThat(asn.subject()).startsWith("X12 856 ");
        List<Segment> n = EdiReading.segments(asn.text());
        assertThat(EdiReading.tagged(n, "ST").get(0).e(1)).isEqualTo("856");
        assertThat(EdiReading.tagged(n, "BSN").get(0).e(2)).isEqualTo(orderId);
        assertThat(EdiReading.tagged(n, "PRF").get(0).elements()).containsExactly(PO);
        assertThat(EdiReading.tagged(n, "TD5").get(0).e(3)).isEqualTo(carrier);
        assertThat(EdiReading.tagged(n, "REF")).extracting(Segment::elements).contains(List.of("CN", tracking));
        assertThat(EdiReading.tagged(n, "LIN")).extracting(Segment::elements)
                .containsExactly(List.of("", "VP", "WID-100", "BP", "ACME-555"), List.of("", "VP", "SKU-9"));
        assertThat(EdiReading.tagged(n, "SN1")).extracting(Segment::elements)
                .containsExactly(List.of("", "3", "EA"), List.of("", "2", "EA"));

        // 810: every line with quantity and price, the total (TDS in cents), net 30
        PartnerMailbox.Mail inv = PartnerMailbox.await(mailServer, PartnerMailbox.B2B_DESK, orderId, "invoice");
        assertThat(inv.subject()).startsWith("X12 810 ");
        List<Segment> i = EdiReading.segments(inv.text());
        assertThat(EdiReading.tagged(i, "ST").get(0).e(1)).isEqualTo("810");
        assertThat(EdiReading.tagged(i, "BIG").get(0).e(2)).isEqualTo(orderId);
        assertThat(EdiReading.tagged(i, "BIG").get(0).e(4)).isEqualTo(PO);
        assertThat(EdiReading.tagged(i, "CUR").get(0).e(2)).isEqualTo("USD");
        assertThat(EdiReading.tagged(i, "IT1")).extracting(s -> s.elements().subList(0, 7)).containsExactly(
                List.of("1", "3", "EA", "19.99", "", "VP", "WID-100"), List.of("2", "2", "EA", "5", "", "VP", "SKU-9"));
        assertThat(order.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo(new BigDecimal("69.97"));
        assertThat(EdiReading.tagged(i, "TDS").get(0).elements()).containsExactly("6997");
        assertThat(EdiReading.tagged(i, "ITD").get(0).elements()).contains("30");

        // the ledger: each SENT by mail, the mailed bytes exactly those recorded, each mailed once
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", B2B_KEY).body()
                .findValues("status").stream().allMatch(st -> st.asText().equals("SENT")));
        JsonNode docs = get("/api/orders/" + orderId + "/documents", B2B_KEY).body();
        assertThat(docs).extracting(d -> d.get("type").asText() + " " + d.get("standard").asText() + " "
                + d.get("transport").asText()).containsExactlyInAnyOrder("order-response x12 mail", "ship-notice x12 mail",
                "invoice x12 mail");
        for (PartnerMailbox.Mail m : List.of(ack, asn, inv)) {
            assertThat(get("/api/documents/" + m.documentId() + "/content", B2B_KEY).bytes()).isEqualTo(m.content());
        }
        assertThat(PartnerMailbox.mails(mailServer, PartnerMailbox.B2B_DESK, orderId, null)).hasSize(3);
    }

    /** The SKU in the catalogue with plenty of stock in both warehouses (as the embedded default's demo catalogue). */
    private void stock(String sku, String price) {
        Response p = put("/api/products/" + sku, OPS_KEY, Map.of("description", "tour item " + sku, "unitPrice",
                new BigDecimal(price), "currency", "USD", "weightKg", 0.5));
        assertThat(p.status()).as(p.toString()).isIn(200, 201);
        for (String warehouse : List.of("eu-central", "us-east")) {
            assertThat(put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", warehouse, "onHand", 1000)).status())
                    .isEqualTo(200);
        }
    }
}
