package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.order.OrderStatus;
import io.orderhub.shipping.ShippingTestSupport;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * UBL partner documents through the running hub: a UBL 2.1 order of the b2b channel (the shared corpus's
 * allowances-charges-terms.xml with this test's SKUs and PO number) run to DELIVERED is answered in UBL, by default
 * the standard it came in: an OrderResponse, a DespatchAdvice and a Peppol BIS Billing 3 Invoice on the queue
 * the mailbox edi@b2b.example (b2b mails its documents). Each is parsed back with the JDK's DOM and XPath, validated again against the UBL 2.1 XSD
 * (and the invoice the Peppol rules), and every value matched to the order: PO number, lines, quantities, prices,
 * carrier, tracking number, the invoice's tax and monetary totals. An order whose invoice would be invalid (its tax
 * is no configured VAT rate) gets its ship notice, while the invoice is held with the reason and never sent. A
 * refunded return of a taxed UBL order is credited with a Peppol BIS Billing 3 CreditNote (issue 22), validated the
 * same way and matched to the order, its invoice and the refund.
 */
class UblPartnerDocumentsFlowTest extends ShippingTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    io.orderhub.sandbox.SandboxMailServer mailServer;
    @Autowired
    UblDocuments ubl;

    @Test
    void aUblOrderRunToDeliveredIsAnsweredWithUblDocumentsMatchingTheOrder() throws Exception {
        String flour = product(30, 0);
        String paper = product(20, 0);
        String po = "PO-UBL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitUbl(sample(po, flour, paper));
        awaitEvent(orderId, "order.confirmed");
        JsonNode order = get("/api/orders/" + orderId, OPS_KEY).body();
        assertThat(order.at("/source/format").asText()).isEqualTo("ubl");

        // OrderResponse
        PartnerMailbox.Mail response = receive(orderId, "order-response");
        assertThat(response.subject()).startsWith("UBL OrderResponse");
        String responseXml = response.text();
        assertThat(ubl.validate(OutboundDocument.ORDER_RESPONSE, responseXml)).isEmpty();
        UblReading r = UblReading.of(responseXml);
        assertThat(r.root()).isEqualTo("OrderResponse");
        assertThat(r.text("/*/cbc:OrderResponseCode")).isEqualTo("AP");
        assertThat(r.text("/*/cac:OrderReference/cbc:ID")).isEqualTo(po);
        assertThat(r.text("/*/cbc:SalesOrderID")).isEqualTo(orderId);
        assertThat(r.text("/*/cac:BuyerCustomerParty/cac:Party/cbc:EndpointID")).isEqualTo("4012345000009");
        assertThat(r.text("/*/cac:BuyerCustomerParty/cac:Party/cac:PartyName/cbc:Name"))
                .isEqualTo(order.at("/customer/company").asText());
        assertThat(r.texts("//cac:LineItem/cbc:ID")).containsExactly("1", "2");
        assertThat(r.texts("//cac:LineItem/cbc:LineStatusCode")).containsExactly("5", "5");
        assertThat(r.texts("//cac:LineItem/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly(flour, paper);
        assertThat(decimals(r.texts("//cac:LineItem/cbc:Quantity"))).isEqualTo(orderValues(order, "quantity"));
        assertThat(r.texts("//cac:LineItem/cbc:Quantity/@unitCode")).containsExactly("KGM", "C62");
        assertThat(decimals(r.texts("//cac:LineItem/cac:Price/cbc:PriceAmount"))).isEqualTo(orderValues(order, "unitPrice"));

        // shipped (one parcel from eu-central) and delivered by the sandbox carrier
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "paid by bank transfer");
        awaitStatus(orderId, "ALLOCATED");
        String shipmentId = shipmentIn(orderId, "eu-central");
        pack(shipmentId);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("order.delivered"));
        String tracking = jdbc.queryForObject("select tracking_number from shipments where shipment_id = ?", String.class,
                shipmentId);
        String carrier = jdbc.queryForObject("select carrier from shipments where shipment_id = ?", String.class, shipmentId);
        assertThat(tracking).isNotBlank();

        // DespatchAdvice
        String notice = receive(orderId, "ship-notice").text();
        assertThat(ubl.validate(OutboundDocument.SHIP_NOTICE, notice)).isEmpty();
        UblReading d = UblReading.of(notice);
        assertThat(d.root()).isEqualTo("DespatchAdvice");
        assertThat(d.text("/*/cac:OrderReference/cbc:ID")).isEqualTo(po);
        assertThat(d.texts("//cac:Shipment/cac:Consignment/cbc:ID")).containsExactly(shipmentId);
        assertThat(d.texts("//cac:Consignment/cbc:CarrierAssignedID")).containsExactly(tracking);
        assertThat(d.texts("//cac:Consignment/cac:CarrierParty/cac:PartyName/cbc:Name")).containsExactly(carrier);
        assertThat(d.texts("//cac:TransportHandlingUnit/cbc:TraceID")).containsExactly(tracking);
        assertThat(d.texts("//cac:DespatchLine/cac:OrderLineReference/cbc:LineID")).containsExactly("1", "2");
        assertThat(decimals(d.texts("//cac:DespatchLine/cbc:DeliveredQuantity"))).isEqualTo(orderValues(order, "quantity"));
        assertThat(d.texts("//cac:DespatchLine/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly(flour, paper);
        assertThat(d.text("/*/cac:DeliveryCustomerParty/cac:Party/cac:PostalAddress/cbc:PostalZone"))
                .isEqualTo(order.at("/shipTo/postalCode").asText());

        // Invoice (b2b invoices on SHIPPED), Peppol BIS Billing 3
        String invoice = receive(orderId, "invoice").text();
        assertThat(ubl.validate(OutboundDocument.INVOICE, invoice)).isEmpty();
        UblReading i = UblReading.of(invoice);
        assertThat(i.root()).isEqualTo("Invoice");
        assertThat(i.text("/*/cbc:ProfileID")).isEqualTo("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        assertThat(i.text("/*/cbc:ID")).isEqualTo(orderId);
        assertThat(i.text("/*/cac:OrderReference/cbc:ID")).isEqualTo(po);
        assertThat(i.text("/*/cbc:DocumentCurrencyCode")).isEqualTo(order.get("currency").asText());
        assertThat(i.text("/*/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")).isEqualTo(ubl.seller().endpointId());
        assertThat(i.text("/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"))
                .isEqualTo(ubl.seller().vatId());
        assertThat(i.text("/*/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName"))
                .isEqualTo(order.at("/billTo/city").asText());
        assertThat(i.texts("//cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly(flour, paper);
        assertThat(decimals(i.texts("//cac:InvoiceLine/cbc:InvoicedQuantity"))).isEqualTo(orderValues(order, "quantity"));
        assertThat(decimals(i.texts("//cac:InvoiceLine/cac:Price/cbc:PriceAmount"))).isEqualTo(orderValues(order, "unitPrice"));
        assertThat(decimals(i.texts("//cac:InvoiceLine/cbc:LineExtensionAmount"))).isEqualTo(orderValues(order, "lineTotal"));
        JsonNode totals = order.get("totals");
        assertThat(dec(i.text("/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount"))).isEqualByComparingTo(dec(totals, "subtotal"));
        assertThat(dec(i.text("/*/cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount"))).isEqualByComparingTo(dec(totals, "discount"));
        assertThat(dec(i.text("/*/cac:LegalMonetaryTotal/cbc:ChargeTotalAmount"))).isEqualByComparingTo(dec(totals, "shipping"));
        assertThat(dec(i.text("/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"))).isEqualByComparingTo(
                dec(totals, "subtotal").subtract(dec(totals, "discount")).add(dec(totals, "shipping")));
        assertThat(dec(i.text("/*/cac:LegalMonetaryTotal/cbc:PayableAmount"))).isEqualByComparingTo(dec(totals, "grandTotal"));
        assertThat(dec(i.text("/*/cac:TaxTotal/cbc:TaxAmount"))).isEqualByComparingTo(dec(totals, "tax"));
        assertThat(dec(i.text("/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"))).isEqualByComparingTo(dec(totals, "tax"));
        assertThat(i.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("19");
        assertThat(i.text("/*/cac:PaymentTerms/cbc:Note")).isEqualTo("NET30");

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .findValues("status").stream().allMatch(st -> st.asText().equals("SENT")));
        JsonNode docs = get("/api/orders/" + orderId + "/documents", B2B_KEY).body();
        assertThat(docs).extracting(x -> x.get("type").asText() + " " + x.get("standard").asText() + " " + x.get("status").asText())
                .containsExactlyInAnyOrder("order-response ubl SENT", "ship-notice ubl SENT", "invoice ubl SENT");
        JsonNode invoiceDoc = java.util.stream.StreamSupport.stream(docs.spliterator(), false)
                .filter(x -> x.get("type").asText().equals("invoice")).findFirst().orElseThrow();
        Response content = get("/api/documents/" + invoiceDoc.get("documentId").asText() + "/content", B2B_KEY);
        assertThat(content.header("Content-Type")).startsWith("application/xml");
        assertThat(new String(content.bytes(), StandardCharsets.UTF_8)).isEqualTo(invoice);

        // The partner's UBL ApplicationResponses. A Peppol Message Level Response accepting the OrderResponse (its ID
        // <orderId>-<control number>), by REST: ACKNOWLEDGED
        String orderResponseId = r.text("/*/cbc:ID");
        String responseDoc = documentOf(docs, "order-response");
        Response accepted = post("/api/channels/b2b/acknowledgements", B2B_KEY, "application/xml",
                applicationResponse(MLR, orderResponseId, "231", "AP", "").getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.body().get("matched").asInt()).isEqualTo(1);
        assertThat(accepted.body().get("documents").get(0).get("documentId").asText()).isEqualTo(responseDoc);
        assertThat(accepted.body().get("documents").get(0).get("standard").asText()).isEqualTo("ubl");
        assertThat(statusOf(orderId, "order-response")).isEqualTo("ACKNOWLEDGED");
        // the order id alone names both the DespatchAdvice and the Invoice: unmatched, saying what is missing
        Response ambiguous = post("/api/channels/b2b/acknowledgements", B2B_KEY, "application/xml",
                applicationResponse(MLR, orderId, null, "AB", "").getBytes(StandardCharsets.UTF_8));
        assertThat(ambiguous.status()).as(ambiguous.toString()).isEqualTo(200);
        assertThat(ambiguous.body().get("matched").asInt()).isZero();
        assertThat(ambiguous.body().get("documents").get(0).get("reason").asText()).contains("DocumentTypeCode");
        assertThat(statusOf(orderId, "ship-notice")).isEqualTo("SENT");
        // a Peppol Invoice Response rejecting the Invoice, on the queue orders.inbound: REJECTED with the partner's
        // reason, an event of the order; its receipt ACCEPTED as ubl-application-response naming the invoice
        String invoiceResponse = applicationResponse(INVOICE_RESPONSE, orderId, null, "RE",
                "<cbc:Description>Invoice refused</cbc:Description><cac:Status><cbc:StatusReasonCode listID=\"OPStatusReason\">"
                        + "REF</cbc:StatusReasonCode><cbc:StatusReason>Order reference unknown</cbc:StatusReason></cac:Status>");
        new org.springframework.jms.core.JmsTemplate(connectionFactory).send("orders.inbound", session -> {
            var m = session.createTextMessage(invoiceResponse);
            m.setStringProperty("channel", "b2b");
            return m;
        });
        String invoiceId = invoiceDoc.get("documentId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> statusOf(orderId, "invoice").equals("REJECTED"));
        JsonNode rejected = java.util.stream.StreamSupport.stream(get("/api/orders/" + orderId + "/documents", B2B_KEY)
                .body().spliterator(), false).filter(x -> x.get("documentId").asText().equals(invoiceId)).findFirst().orElseThrow();
        assertThat(rejected.get("reason").asText())
                .isEqualTo("ApplicationResponse RE: Invoice refused; REF: Order reference unknown");
        assertThat(json.readTree(outboxPayload(orderId, "document.rejected")).at("/data/documentId").asText()).isEqualTo(invoiceId);
        assertThat(jdbc.queryForObject("select via || ' ' || status || ' ' || format || ' ' || document_id from receipts"
                + " where document_id = ?", String.class, invoiceId)).isEqualTo("jms ACCEPTED ubl-application-response " + invoiceId);
        assertThat(statusOf(orderId, "ship-notice")).isEqualTo("SENT");
    }

    static final String MLR = "urn:fdc:peppol.eu:poacc:trns:mlr:3";
    static final String INVOICE_RESPONSE = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3";

    /** A partner's ApplicationResponse (Peppol MLR or Invoice Response form) answering {@code reference} with {@code code}. */
    static String applicationResponse(String customization, String reference, String typeCode, String code,
                                              String details) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
                    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
                  <cbc:CustomizationID>%s</cbc:CustomizationID>
                  <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:mlr:3</cbc:ProfileID>
                  <cbc:ID>AR-%s</cbc:ID>
                  <cbc:IssueDate>2026-12-07</cbc:IssueDate>
                  <cac:SenderParty><cbc:EndpointID schemeID="0088">4012345000009</cbc:EndpointID></cac:SenderParty>
                  <cac:ReceiverParty><cbc:EndpointID schemeID="0088">4000000000001</cbc:EndpointID></cac:ReceiverParty>
                  <cac:DocumentResponse>
                    <cac:Response><cbc:ResponseCode>%s</cbc:ResponseCode>%s</cac:Response>
                    <cac:DocumentReference><cbc:ID>%s</cbc:ID>%s</cac:DocumentReference>
                  </cac:DocumentResponse>
                </ApplicationResponse>
                """.formatted(customization, UUID.randomUUID(), code, details, reference,
                typeCode == null ? "" : "<cbc:DocumentTypeCode>" + typeCode + "</cbc:DocumentTypeCode>");
    }

    private String statusOf(String orderId, String type) {
        return jdbc.queryForObject("select status from outbound_documents where order_id = ? and doc_type = ?", String.class,
                orderId, type);
    }

    private static String documentOf(JsonNode docs, String type) {
        return java.util.stream.StreamSupport.stream(docs.spliterator(), false)
                .filter(x -> x.get("type").asText().equals(type)).findFirst().orElseThrow().get("documentId").asText();
    }

    @Autowired
    io.orderhub.payment.PaymentRepository paymentRows;

    @Test
    void aRefundedReturnOfATaxedUblOrderIsCreditedWithAPeppolCreditNote() throws Exception {
        String flour = product(30, 0);
        String paper = product(20, 0);
        String po = "PO-UBL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        // the corpus order: 237.50 of goods, 12.50 discount, 20.00 charges, 19 % tax 46.55
        String orderId = submitUbl(sample(po, flour, paper));
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "paid by bank transfer");
        // what the partner paid, as an invoice order's payment: the refund is settled by the credit note
        JsonNode order = get("/api/orders/" + orderId, OPS_KEY).body();
        BigDecimal paid = order.at("/totals/grandTotal").decimalValue();
        paymentRows.insert(orderId, io.orderhub.payment.Payment.INVOICE, "invoice", "invoice", 1, "test-paid-" + orderId,
                paid, paid.movePointRight(2).longValueExact(), "EUR", io.orderhub.payment.Payment.SUCCEEDED, po, null);
        awaitStatus(orderId, "ALLOCATED");
        pack(shipmentIn(orderId, "eu-central"));
        awaitEvent(orderId, "order.shipped");
        String invoice = new String(receive(orderId, "invoice").content(), StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("select status from outbound_documents"
                + " where order_id = ? and doc_type = 'invoice'", String.class, orderId).equals(List.of("SENT")));

        // 4 of the 10 units of line 2 come back and are refunded: their price, less their share of the order's
        // discount, plus their share of its tax, less b2b's restocking fee
        com.fasterxml.jackson.databind.JsonNode line2 = order.get("lines").get(1);
        assertThat(line2.get("sku").asText()).isEqualTo(paper);
        var requested = postJson("/api/orders/" + orderId + "/returns", B2B_KEY, java.util.Map.of("lines",
                List.of(java.util.Map.of("lineNo", 2, "quantity", 4, "reason", "wrong size")), "resolution", "REFUND"));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        String returnId = requested.body().get("returnId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> "AUTHORIZED".equals(jdbc.queryForObject(
                "select status from returns where return_id = ?", String.class, returnId)));
        var received = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, java.util.Map.of("warehouse", "eu-central",
                "lines", List.of(java.util.Map.of("lineNo", 2, "quantity", 4, "condition", "RESTOCK"))));
        assertThat(received.status()).as(received.toString()).isEqualTo(200);
        assertThat(received.body().get("status").asText()).isEqualTo("REFUNDED");
        BigDecimal refunded = received.body().at("/refund/amount").decimalValue();
        JsonNode totals = order.get("totals");
        BigDecimal lineTotal = line2.get("lineTotal").decimalValue();
        BigDecimal goods = lineTotal.multiply(BigDecimal.valueOf(4)).divide(line2.get("quantity").decimalValue(), 2,
                java.math.RoundingMode.HALF_UP);
        // the credited taxable amount: the units less their share of the order's discount, less the restocking fee
        // (10 % for b2b); the order's one tax is 19 % of its taxable amount, so the credit note's tax is 19 % of this
        BigDecimal qty = line2.get("quantity").decimalValue();
        BigDecimal discountShare = dec(totals, "discount").multiply(lineTotal).divide(dec(totals, "subtotal"),
                java.math.MathContext.DECIMAL64).multiply(BigDecimal.valueOf(4)).divide(qty, 2, java.math.RoundingMode.HALF_UP);
        BigDecimal fee = goods.subtract(discountShare).multiply(new BigDecimal("0.10")).setScale(2, java.math.RoundingMode.HALF_UP);
        BigDecimal taxable = goods.subtract(discountShare).subtract(fee);
        BigDecimal tax = taxable.multiply(new BigDecimal("0.19"));
        assertThat(refunded).isCloseTo(taxable.add(tax), org.assertj.core.data.Offset.offset(new BigDecimal("0.02")));

        // the CreditNote: valid against the UBL 2.1 XSD (ph-ubl21) and the EN 16931 / Peppol rules (phive-rules-peppol)
        PartnerMailbox.Mail m = receive(orderId, "credit-note");
        assertThat(m.subject()).startsWith("UBL CreditNote");
        String xml = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(ubl.validate(OutboundDocument.CREDIT_NOTE, xml)).isEmpty();
        UblReading c = UblReading.of(xml);
        assertThat(c.root()).isEqualTo("CreditNote");
        assertThat(c.text("/*/cbc:CustomizationID"))
                .isEqualTo("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0");
        assertThat(c.text("/*/cbc:ProfileID")).isEqualTo("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        assertThat(c.text("/*/cbc:CreditNoteTypeCode")).isEqualTo("381");
        assertThat(c.text("/*/cbc:ID")).isEqualTo(returnId);
        assertThat(c.text("/*/cac:OrderReference/cbc:ID")).isEqualTo(po);
        assertThat(c.text("/*/cac:OrderReference/cbc:SalesOrderID")).isEqualTo(orderId);
        UblReading i = UblReading.of(invoice);
        assertThat(c.text("/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).isEqualTo(i.text("/*/cbc:ID"));
        assertThat(c.text("/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"))
                .isEqualTo(i.text("/*/cbc:IssueDate"));
        assertThat(c.text("/*/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")).isEqualTo(ubl.seller().endpointId());
        assertThat(c.text("/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"))
                .isEqualTo(i.text("/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"));
        assertThat(c.texts("//cac:CreditNoteLine/cbc:ID")).containsExactly("2");
        assertThat(c.texts("//cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly(paper);
        assertThat(decimals(c.texts("//cac:CreditNoteLine/cbc:CreditedQuantity"))).containsExactly(new BigDecimal("4"));
        assertThat(c.texts("//cac:CreditNoteLine/cbc:CreditedQuantity/@unitCode")).containsExactly("C62");
        assertThat(decimals(c.texts("//cac:CreditNoteLine/cbc:LineExtensionAmount"))).containsExactly(goods.stripTrailingZeros());
        assertThat(dec(c.text("/*/cac:TaxTotal/cbc:TaxAmount"))).isCloseTo(tax,
                org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
        assertThat(dec(c.text("/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"))).isEqualByComparingTo(taxable);
        assertThat(c.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")).isEqualTo("S");
        assertThat(c.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("19");
        assertThat(dec(c.text("/*/cac:LegalMonetaryTotal/cbc:PayableAmount"))).isEqualByComparingTo(refunded);
        assertThat(dec(c.text("/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"))).isEqualByComparingTo(refunded);
        assertThat(dec(c.text("/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount"))).isEqualByComparingTo(goods);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("select status from outbound_documents"
                + " where order_id = ? and doc_type = 'credit-note'", String.class, orderId).equals(List.of("SENT")));
        assertThat(jdbc.queryForObject("select standard from outbound_documents where order_id = ? and doc_type = 'credit-note'",
                String.class, orderId)).isEqualTo("ubl");
    }

    @Test
    void anInvoiceThatWouldBeInvalidIsHeldWithItsReasonAndNeverSent() throws Exception {
        String flour = product(30, 0);
        String paper = product(20, 0);
        String po = "PO-UBL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        // 10 % tax on 245.00: a rate the seller does not have (S:19, S:7, Z:0)
        String xml = sample(po, flour, paper).replace(">46.55<", ">24.50<").replace(">291.55<", ">269.50<");
        String orderId = submitUbl(xml);
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "paid by bank transfer");
        awaitStatus(orderId, "ALLOCATED");
        pack(shipmentIn(orderId, "eu-central"));
        awaitEvent(orderId, "order.shipped");

        // the ship notice goes; the invoice does not
        assertThat(receive(orderId, "ship-notice").subject()).startsWith("UBL DespatchAdvice");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "select status from outbound_documents where order_id = ? and doc_type = 'invoice'", String.class, orderId)
                .equals(List.of("HELD")));
        assertThat(jdbc.queryForObject("select count(*) from outbound_documents where order_id = ? and doc_type = 'invoice'"
                + " and sent_at is null and attempts = 0", Integer.class, orderId)).isEqualTo(1);
        JsonNode held = get("/api/ops/documents?state=held&limit=1000", OPS_KEY).body();
        assertThat(held).anySatisfy(h -> {
            assertThat(h.get("orderId").asText()).isEqualTo(orderId);
            assertThat(h.get("errors").get(0).asText()).contains("10.00 %").contains("orderhub.outbound.ubl.tax-categories");
        });
        // delivered later: the invoice is still held, still not sent
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("order.delivered"));
        assertThat(jdbc.queryForList("select status from outbound_documents where order_id = ? and doc_type = 'invoice'",
                String.class, orderId)).containsExactly("HELD");
    }

    // ---- helpers

    /** The corpus's UBL order with its SKUs replaced by this test's products and its PO number by {@code po}. */
    static String sample(String po, String flour, String paper) throws Exception {
        String xml = Files.readString(Path.of("mappings/tests/ubl/allowances-charges-terms.xml"), StandardCharsets.UTF_8);
        return xml.replace("<cbc:ID>PO-2026-0042</cbc:ID>", "<cbc:ID>" + po + "</cbc:ID>")
                .replace(">FL-1150<", ">" + flour + "<")
                .replace(">4006381333931<", ">" + paper + "<");
    }

    private String submitUbl(String xml) {
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/xml", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    private void awaitEvent(String orderId, String type) {
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains(type));
    }

    private static List<BigDecimal> decimals(List<String> texts) {
        return texts.stream().map(t -> new BigDecimal(t).stripTrailingZeros()).toList();
    }

    private static List<BigDecimal> orderValues(JsonNode order, String field) {
        return java.util.stream.StreamSupport.stream(order.get("lines").spliterator(), false)
                .map(l -> l.get(field).decimalValue().stripTrailingZeros()).toList();
    }

    private static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }

    private static BigDecimal dec(JsonNode totals, String field) {
        return totals.get(field).decimalValue();
    }

    /** The order's document of this type as mailed to b2b's EDI desk (mail transport), waiting up to 60 s. */
    private PartnerMailbox.Mail receive(String orderId, String type) {
        return PartnerMailbox.await(mailServer, PartnerMailbox.B2B_DESK, orderId, type);
    }
}
