package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.shipping.ShippingTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The cXML round trip through the running hub: a cXML OrderRequest of the b2b channel (paid by hand) runs to
 * DELIVERED, and the partner gets a ConfirmationRequest, a ShipNoticeRequest and an
 * InvoiceDetailRequest on the mailbox edi@b2b.example (b2b mails its documents), each read back, checked against the cXML structure and matched to
 * the order: PO number, the OrderRequest's payloadID, credentials, lines, quantities, prices, carrier, tracking
 * number and invoice totals. A backordered cXML order is answered with a detail confirmation per line.
 */
class CxmlPartnerDocumentsFlowTest extends ShippingTestSupport {

    @Autowired
    io.orderhub.sandbox.SandboxMailServer mailServer;

    @Test
    void aCxmlOrderRunToDeliveredGetsItsConfirmationShipNoticeAndInvoiceInCxml() throws Exception {
        String first = product(10, 0);
        String second = product(10, 0);
        String po = "CX-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String payloadId = UUID.randomUUID() + "@buyer.example";
        String buyer = buyer();
        String orderId = submit(po, payloadId, buyer, first, 3, second, 2);
        awaitStatus(orderId, "CONFIRMED");
        // b2b is paid by hand here: the operator's payment stands in (as in PartnerDocumentsFlowTest)
        orders.transition(orderId, io.orderhub.order.OrderStatus.PAID, "order.paid", "paid by bank transfer");
        awaitStatus(orderId, "ALLOCATED");
        JsonNode order = get("/api/orders/" + orderId, OPS_KEY).body();

        PartnerMailbox.Mail confirmation = receive(orderId, "order-response");
        assertThat(confirmation.subject()).startsWith("cXML ConfirmationRequest");
        String text = confirmation.text();
        assertThat(CxmlStructure.check(text)).isEmpty();
        CxmlReading c = CxmlReading.of(text);
        assertThat(c.at("/cXML/Header/From/Credential/Identity")).isEqualTo("AN01000000001");
        assertThat(c.at("/cXML/Header/To/Credential/Identity")).isEqualTo("AN02000000002");
        assertThat(c.at("/cXML/Header/Sender/Credential/Identity")).isEqualTo("AN01000000001");
        String r = "/cXML/Request/ConfirmationRequest/";
        assertThat(c.at(r + "ConfirmationHeader/@type")).isEqualTo("accept");
        assertThat(c.at(r + "OrderReference/@orderID")).isEqualTo(po);
        assertThat(c.at(r + "OrderReference/DocumentReference/@payloadID")).isEqualTo(payloadId);
        assertThat(c.all(r + "ConfirmationItem/@lineNumber")).containsExactly("1", "2");
        assertThat(c.all(r + "ConfirmationItem/@quantity")).containsExactly("3", "2");
        assertThat(c.all(r + "ConfirmationItem/ConfirmationStatus/@type")).containsExactly("accept", "accept");
        assertThat(c.all(r + "ConfirmationItem/ConfirmationStatus/@quantity")).containsExactly("3", "2");
        assertThat(c.all(r + "ConfirmationItem/ConfirmationStatus/UnitPrice/Money")).containsExactly("10", "12.5");
        assertThat(c.at(r + "ConfirmationHeader/Total/Money")).isEqualTo(plain(order.at("/totals/grandTotal")));

        String shipmentId = shipmentIn(orderId, "eu-central");
        pack(shipmentId);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("order.delivered"));
        String tracking = jdbc.queryForObject("select tracking_number from shipments where shipment_id = ?", String.class,
                shipmentId);
        String carrier = jdbc.queryForObject("select carrier from shipments where shipment_id = ?", String.class, shipmentId);

        String notice = receive(orderId, "ship-notice").text();
        assertThat(CxmlStructure.check(notice)).isEmpty();
        CxmlReading n = CxmlReading.of(notice);
        String s = "/cXML/Request/ShipNoticeRequest/";
        assertThat(n.at(s + "ShipNoticeHeader/@shipmentID")).isEqualTo(orderId);
        assertThat(n.at(s + "ShipNoticeHeader/@fulfillmentType")).isEqualTo("complete");
        assertThat(n.all(s + "ShipControl/CarrierIdentifier")).containsExactly(carrier);
        assertThat(n.all(s + "ShipControl/ShipmentIdentifier")).containsExactly(tracking);
        assertThat(n.at(s + "ShipNoticePortion/OrderReference/@orderID")).isEqualTo(po);
        assertThat(n.at(s + "ShipNoticePortion/OrderReference/DocumentReference/@payloadID")).isEqualTo(payloadId);
        assertThat(n.all(s + "ShipNoticePortion/ShipNoticeItem/@lineNumber")).containsExactly("1", "2");
        assertThat(n.all(s + "ShipNoticePortion/ShipNoticeItem/@quantity")).containsExactly("3", "2");

        String invoice = receive(orderId, "invoice").text();
        assertThat(CxmlStructure.check(invoice)).isEmpty();
        CxmlReading i = CxmlReading.of(invoice);
        String h = "/cXML/Request/InvoiceDetailRequest/";
        assertThat(i.at(h + "InvoiceDetailRequestHeader/@invoiceID")).isEqualTo(orderId);
        assertThat(i.at(h + "InvoiceDetailOrder/InvoiceDetailOrderInfo/OrderReference/@orderID")).isEqualTo(po);
        assertThat(i.all(h + "InvoiceDetailOrder/InvoiceDetailItem/@quantity")).containsExactly("3", "2");
        assertThat(i.all(h + "InvoiceDetailOrder/InvoiceDetailItem/UnitPrice/Money")).containsExactly("10", "12.5");
        assertThat(i.all(h + "InvoiceDetailOrder/InvoiceDetailItem/InvoiceDetailItemReference/ItemID/SupplierPartID"))
                .containsExactly(first, second);
        assertThat(i.all(h + "InvoiceDetailOrder/InvoiceDetailItem/SubtotalAmount/Money")).containsExactly("30", "25");
        assertThat(i.at(h + "InvoiceDetailSummary/SubtotalAmount/Money")).isEqualTo(plain(order.at("/totals/subtotal")));
        assertThat(i.at(h + "InvoiceDetailSummary/Tax/Money")).isEqualTo(plain(order.at("/totals/tax")));
        assertThat(i.at(h + "InvoiceDetailSummary/NetAmount/Money")).isEqualTo(plain(order.at("/totals/grandTotal")));
        assertThat(i.at(h + "InvoiceDetailSummary/DueAmount/Money")).isEqualTo(plain(order.at("/totals/grandTotal")));
        assertThat(i.all("//Money/@currency")).containsOnly("EUR");

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .findValues("status").stream().allMatch(st -> st.asText().equals("SENT")));
        JsonNode docs = get("/api/orders/" + orderId + "/documents", B2B_KEY).body();
        assertThat(docs).extracting(d -> d.get("type").asText() + " " + d.get("standard").asText() + " " + d.get("status").asText())
                .containsExactlyInAnyOrder("order-response cxml SENT", "ship-notice cxml SENT", "invoice cxml SENT");
        for (JsonNode d : docs) {
            Response content = get("/api/documents/" + d.get("documentId").asText() + "/content", B2B_KEY);
            assertThat(content.status()).isEqualTo(200);
            assertThat(content.header("Content-Type")).startsWith("application/xml");
        }
        assertThat(status(orderId)).isIn("DELIVERED", "COMPLETED");
        // each document's first sending is an event of the order (timeline and outbox)
        assertThat(timeline(orderId).stream().filter("document.sent"::equals).count()).isEqualTo(3);
        assertThat(outboxPayloads(orderId, "document.sent")).hasSize(3)
                .allSatisfy(p -> assertThat(readJson(p).at("/data/standard").asText()).isEqualTo("cxml"));
    }

    @Test
    void aBackorderedCxmlOrderIsConfirmedPerLineWithTheBackorderedQuantity() throws Exception {
        String plenty = product(10, 0);
        String scarce = product(1, 0);
        String po = "CX-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submit(po, UUID.randomUUID() + "@buyer.example", buyer(), plenty, 2, scarce, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("order.backordered"));

        String text = receive(orderId, "order-response").text();
        assertThat(CxmlStructure.check(text)).isEmpty();
        CxmlReading c = CxmlReading.of(text);
        String r = "/cXML/Request/ConfirmationRequest/";
        assertThat(c.at(r + "ConfirmationHeader/@type")).isEqualTo("detail");
        assertThat(c.at(r + "OrderReference/@orderID")).isEqualTo(po);
        assertThat(c.all(r + "ConfirmationItem[@lineNumber='1']/ConfirmationStatus/@type")).containsExactly("accept");
        assertThat(c.all(r + "ConfirmationItem[@lineNumber='1']/ConfirmationStatus/@quantity")).containsExactly("2");
        assertThat(c.all(r + "ConfirmationItem[@lineNumber='2']/ConfirmationStatus/@type"))
                .containsExactly("accept", "backordered");
        assertThat(c.all(r + "ConfirmationItem[@lineNumber='2']/ConfirmationStatus/@quantity")).containsExactly("1", "2");
    }

    // ---- helpers

    private static String plain(JsonNode amount) {
        return EdiText.number(amount.decimalValue());
    }

    /** A buyer organisation registered in the CRM for invoices on b2b (the cXML From identity is its customer id). */
    private String buyer() {
        String id = "CXB" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        Response r = put("/api/customers/b2b-" + id, OPS_KEY, Map.of("name", "cXML Buyer", "creditLimit", 100000,
                "currency", "EUR", "invoiceChannel", "b2b"));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return id;
    }

    private String submit(String po, String payloadId, String buyer, String sku1, int q1, String sku2, int q2) {
        BigDecimal total = new BigDecimal("10.00").multiply(BigDecimal.valueOf(q1))
                .add(new BigDecimal("12.50").multiply(BigDecimal.valueOf(q2)));
        String body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE cXML SYSTEM "http://xml.cXML.org/schemas/cXML/1.2.050/cXML.dtd">
                <cXML payloadID="%s" timestamp="2026-12-06T09:00:00+00:00">
                  <Header>
                    <From><Credential domain="NetworkId"><Identity>%s</Identity></Credential></From>
                    <To><Credential domain="NetworkId"><Identity>AN01000000001</Identity></Credential></To>
                    <Sender><Credential domain="NetworkId"><Identity>%s</Identity></Credential>
                      <UserAgent>Buyer</UserAgent></Sender>
                  </Header>
                  <Request deploymentMode="production">
                    <OrderRequest>
                      <OrderRequestHeader orderID="%s" orderDate="2026-12-06T08:30:00+00:00" type="new">
                        <Total><Money currency="EUR">%s</Money></Total>
                        <ShipTo><Address><Name xml:lang="de">Mueller Lager</Name><PostalAddress name="default">
                          <DeliverTo>Wareneingang</DeliverTo><Street>Industrieweg 12</Street><City>Hamburg</City>
                          <PostalCode>20095</PostalCode><Country isoCountryCode="DE">Deutschland</Country>
                        </PostalAddress></Address></ShipTo>
                        <BillTo><Address><Name xml:lang="de">Mueller Handel GmbH</Name><PostalAddress name="default">
                          <Street>Hauptstrasse 5</Street><City>Berlin</City><PostalCode>10115</PostalCode>
                          <Country isoCountryCode="DE">Deutschland</Country>
                        </PostalAddress></Address></BillTo>
                      </OrderRequestHeader>
                      <ItemOut quantity="%d" lineNumber="1">
                        <ItemID><SupplierPartID>%s</SupplierPartID></ItemID>
                        <ItemDetail><UnitPrice><Money currency="EUR">10.00</Money></UnitPrice>
                          <Description xml:lang="en">first item</Description><UnitOfMeasure>EA</UnitOfMeasure></ItemDetail>
                      </ItemOut>
                      <ItemOut quantity="%d" lineNumber="2">
                        <ItemID><SupplierPartID>%s</SupplierPartID></ItemID>
                        <ItemDetail><UnitPrice><Money currency="EUR">12.50</Money></UnitPrice>
                          <Description xml:lang="en">second item</Description><UnitOfMeasure>EA</UnitOfMeasure></ItemDetail>
                      </ItemOut>
                    </OrderRequest>
                  </Request>
                </cXML>
                """.formatted(payloadId, buyer, buyer, po, total.toPlainString(), q1, sku1, q2, sku2);
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/xml", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    /** The order's document of this type as mailed to b2b's EDI desk (mail transport), waiting up to 60 s. */
    private PartnerMailbox.Mail receive(String orderId, String type) {
        return PartnerMailbox.await(mailServer, PartnerMailbox.B2B_DESK, orderId, type);
    }

    private static JsonNode readJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
