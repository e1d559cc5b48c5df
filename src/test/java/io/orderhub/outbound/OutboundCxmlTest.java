package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;

/**
 * The packaged cXML mappings (mappings/outbound/cxml/) written and checked without the hub: each document read
 * back and matched to the order, values with XML's special characters, and the structure check holding a
 * document that breaks the cXML structure or names no credentials.
 */
class OutboundCxmlTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:15:00Z");
    static final Channel.PartnerIds CXML_IDS = new Channel.PartnerIds("NetworkID", "AN-HUB", "DUNS", "123456789", null, null,
            "T");

    final ObjectMapper json = new ObjectMapper();
    final MappingFiles mappings = new MappingFiles(Path.of("mappings"), Clock.systemUTC());
    final EdiDocuments edi = new EdiDocuments(mappings);
    /** Parcel SHP-1 holds 2 of line 1, parcel SHP-2 one more of line 1 and 3 of line 2. */
    final DocumentLedger shipmentsOf = new DocumentLedger(null, Clock.systemUTC(), null) {
        @Override
        public Map<String, ShipmentContent> shipmentContents(String orderId) {
            return Map.of("SHP-1", new ShipmentContent("SHP-1", null, Map.of(1, 2)),
                    "SHP-2", new ShipmentContent("SHP-2", null, new java.util.TreeMap<>(Map.of(1, 1, 2, 3))));
        }
    };
    final OutboundDocuments documents = new OutboundDocuments(null, shipmentsOf, edi, null, json);
    final CxmlOrderSource source = new CxmlOrderSource(null, null) {
        @Override
        public Optional<String> payloadId(String orderId) {
            return Optional.of("1625586002.193314.7293@buyer");
        }
    };
    final CxmlDocuments cxml = new CxmlDocuments(mappings, source);

    static Channel channel(Channel.PartnerIds ids) {
        return new Channel("b2b", "B2B", null, null, null, true, null, null, null, null, null, null, null,
                new Channel.Outbound(null, null, "SHIPPED", null, null, null, null, null, ids));
    }

    JsonNode event(String type, String detail, String shipments) throws Exception {
        return json.readTree("""
                {"eventId":"e-1","orderId":"ORD-000042","type":"%s","status":"X","at":"2026-12-06T10:15:00Z",
                 "data":{"fromStatus":"CONFIRMED","detail":"%s","shipments":%s,"order":{"channel":"b2b",
                   "externalId":"PO <4010> & 1","orderDate":"2024-01-15T09:30:00-08:00","currency":"USD",
                   "customer":{"name":"Acme & Sons","externalId":"ACME01"},
                   "payment":{"method":"invoice","terms":"NET30"},
                   "totals":{"subtotal":70.22,"discount":5,"shipping":4.5,"tax":3.1,"grandTotal":72.82},
                   "lines":[{"lineNo":1,"sku":"WID-100","buyerSku":"ACME-555","description":"Widget \\"large\\" <b>","quantity":3,
                             "uom":"EA","unitPrice":19.99,"lineTotal":59.97},
                            {"lineNo":2,"sku":"BOLT-7","quantity":2.5,"uom":"LBR","unitPrice":4.1,"lineTotal":10.25}]}}}
                """.formatted(type, detail, shipments));
    }

    OutboundDocument make(JsonNode event, String type, Channel channel) {
        return cxml.make(event, channel, type, documents.model(event, type, CxmlDocuments.CXML, NOW), "DOC-1", NOW);
    }

    @Test
    void aConfirmationNamesThePoAndAcceptsEveryLineWithItsQuantityAndPrice() throws Exception {
        OutboundDocument d = make(event("order.confirmed", "", "[]"), OutboundDocument.ORDER_RESPONSE, channel(CXML_IDS));
        assertThat(d.errors()).isNull();
        assertThat(d.status()).isEqualTo(OutboundDocument.PENDING);
        assertThat(d.standard()).isEqualTo("cxml");
        assertThat(d.contentType()).isEqualTo("application/xml");
        assertThat(d.controlNumber()).isNull();
        CxmlReading x = CxmlReading.of(d.text());
        assertThat(x.doctypeSystemId()).isEqualTo("http://xml.cxml.org/schemas/cXML/1.2.050/Fulfill.dtd");
        assertThat(x.at("/cXML/@payloadID")).isEqualTo(NOW.toEpochMilli() + ".DOC-1@orderhub");
        assertThat(x.at("/cXML/@timestamp")).isEqualTo("2026-12-06T10:15:00+00:00");
        assertThat(x.at("/cXML/Header/From/Credential/@domain")).isEqualTo("NetworkID");
        assertThat(x.at("/cXML/Header/From/Credential/Identity")).isEqualTo("AN-HUB");
        assertThat(x.at("/cXML/Header/To/Credential/@domain")).isEqualTo("DUNS");
        assertThat(x.at("/cXML/Header/To/Credential/Identity")).isEqualTo("123456789");
        assertThat(x.at("/cXML/Header/Sender/Credential/Identity")).isEqualTo("AN-HUB");
        assertThat(x.at("/cXML/Request/@deploymentMode")).isEqualTo("test");
        String r = "/cXML/Request/ConfirmationRequest/";
        assertThat(x.at(r + "ConfirmationHeader/@type")).isEqualTo("accept");
        assertThat(x.at(r + "ConfirmationHeader/@operation")).isEqualTo("new");
        assertThat(x.at(r + "ConfirmationHeader/@confirmID")).isEqualTo("ORD-000042");
        assertThat(x.at(r + "ConfirmationHeader/Total/Money")).isEqualTo("72.82");
        assertThat(x.at(r + "ConfirmationHeader/Total/Money/@currency")).isEqualTo("USD");
        assertThat(x.at(r + "OrderReference/@orderID")).isEqualTo("PO <4010> & 1");
        assertThat(x.at(r + "OrderReference/@orderDate")).isEqualTo("2024-01-15T09:30:00-08:00");
        assertThat(x.at(r + "OrderReference/DocumentReference/@payloadID")).isEqualTo("1625586002.193314.7293@buyer");
        assertThat(x.all(r + "ConfirmationItem/@lineNumber")).containsExactly("1", "2");
        assertThat(x.all(r + "ConfirmationItem/@quantity")).containsExactly("3", "2.5");
        assertThat(x.all(r + "ConfirmationItem/UnitOfMeasure")).containsExactly("EA", "LBR");
        assertThat(x.all(r + "ConfirmationItem/ConfirmationStatus/@type")).containsExactly("accept", "accept");
        assertThat(x.all(r + "ConfirmationItem/ConfirmationStatus/@quantity")).containsExactly("3", "2.5");
        assertThat(x.all(r + "ConfirmationItem/ConfirmationStatus/UnitPrice/Money")).containsExactly("19.99", "4.1");
        assertThat(CxmlStructure.check(d.text())).isEmpty();
    }

    @Test
    void aBackorderedLineIsSplitIntoAcceptedAndBackorderedQuantities() throws Exception {
        OutboundDocument d = make(event("order.backordered", "line 2 (BOLT-7): 2.5 wanted, 1 available", "[]"),
                OutboundDocument.ORDER_RESPONSE, channel(CXML_IDS));
        assertThat(d.errors()).isNull();
        CxmlReading x = CxmlReading.of(d.text());
        String r = "/cXML/Request/ConfirmationRequest/";
        assertThat(x.at(r + "ConfirmationHeader/@type")).isEqualTo("detail");
        assertThat(x.all(r + "ConfirmationItem[@lineNumber='1']/ConfirmationStatus/@type")).containsExactly("accept");
        assertThat(x.all(r + "ConfirmationItem[@lineNumber='2']/ConfirmationStatus/@type"))
                .containsExactly("accept", "backordered");
        assertThat(x.all(r + "ConfirmationItem[@lineNumber='2']/ConfirmationStatus/@quantity")).containsExactly("1", "1.5");
        // a line with nothing available is backordered whole
        OutboundDocument none = make(event("order.backordered", "line 1 (WID-100): 3 wanted, 0 available", "[]"),
                OutboundDocument.ORDER_RESPONSE, channel(CXML_IDS));
        CxmlReading y = CxmlReading.of(none.text());
        assertThat(y.all(r + "ConfirmationItem[@lineNumber='1']/ConfirmationStatus/@type")).containsExactly("backordered");
        assertThat(y.all(r + "ConfirmationItem[@lineNumber='1']/ConfirmationStatus/@quantity")).containsExactly("3");
        assertThat(none.errors()).isNull();
    }

    @Test
    void aShipNoticeNamesEachParcelsCarrierAndTrackingAndTheShippedQuantities() throws Exception {
        OutboundDocument d = make(event("order.shipped", "", """
                [{"shipmentId":"SHP-1","carrier":"UPS","service":"Ground","trackingNumber":"1Z999AA10123456784"},
                 {"shipmentId":"SHP-2","carrier":"Sandbox & Post","trackingNumber":"SP-778"}]"""),
                OutboundDocument.SHIP_NOTICE, channel(CXML_IDS));
        assertThat(d.errors()).isNull();
        CxmlReading x = CxmlReading.of(d.text());
        String r = "/cXML/Request/ShipNoticeRequest/";
        assertThat(x.at(r + "ShipNoticeHeader/@shipmentID")).isEqualTo("ORD-000042");
        assertThat(x.at(r + "ShipNoticeHeader/@fulfillmentType")).isEqualTo("complete");
        assertThat(x.all(r + "ShipControl/CarrierIdentifier")).containsExactly("UPS", "Sandbox & Post");
        assertThat(x.all(r + "ShipControl/ShipmentIdentifier")).containsExactly("1Z999AA10123456784", "SP-778");
        assertThat(x.at(r + "ShipNoticePortion/OrderReference/@orderID")).isEqualTo("PO <4010> & 1");
        assertThat(x.all(r + "ShipNoticePortion/ShipNoticeItem/@lineNumber")).containsExactly("1", "2");
        assertThat(x.all(r + "ShipNoticePortion/ShipNoticeItem/@quantity")).containsExactly("3", "3");
        assertThat(x.all(r + "ShipNoticePortion/ShipNoticeItem/UnitOfMeasure")).containsExactly("EA", "LBR");
    }

    @Test
    void anInvoiceCarriesTheLinesAndTheOrdersTotals() throws Exception {
        OutboundDocument d = make(event("order.shipped", "", "[]"), OutboundDocument.INVOICE, channel(CXML_IDS));
        assertThat(d.errors()).isNull();
        CxmlReading x = CxmlReading.of(d.text());
        assertThat(x.doctypeSystemId()).endsWith("/1.2.050/InvoiceDetail.dtd");
        String r = "/cXML/Request/InvoiceDetailRequest/";
        assertThat(x.at(r + "InvoiceDetailRequestHeader/@invoiceID")).isEqualTo("ORD-000042");
        assertThat(x.at(r + "InvoiceDetailRequestHeader/@invoiceDate")).isEqualTo("2026-12-06T10:15:00+00:00");
        assertThat(x.at(r + "InvoiceDetailRequestHeader/InvoiceDetailPaymentTerm/@payInNumberOfDays")).isEqualTo("30");
        String o = r + "InvoiceDetailOrder/";
        assertThat(x.at(o + "InvoiceDetailOrderInfo/OrderReference/@orderID")).isEqualTo("PO <4010> & 1");
        assertThat(x.all(o + "InvoiceDetailItem/@quantity")).containsExactly("3", "2.5");
        assertThat(x.all(o + "InvoiceDetailItem/UnitPrice/Money")).containsExactly("19.99", "4.1");
        assertThat(x.all(o + "InvoiceDetailItem/InvoiceDetailItemReference/ItemID/SupplierPartID"))
                .containsExactly("WID-100", "BOLT-7");
        assertThat(x.all(o + "InvoiceDetailItem/InvoiceDetailItemReference/ItemID/BuyerPartID")).containsExactly("ACME-555");
        assertThat(x.all(o + "InvoiceDetailItem/InvoiceDetailItemReference/Description"))
                .containsExactly("Widget \"large\" <b>");
        assertThat(x.all(o + "InvoiceDetailItem/SubtotalAmount/Money")).containsExactly("59.97", "10.25");
        String s = r + "InvoiceDetailSummary/";
        assertThat(x.at(s + "SubtotalAmount/Money")).isEqualTo("70.22");
        assertThat(x.at(s + "Tax/Money")).isEqualTo("3.1");
        assertThat(x.at(s + "ShippingAmount/Money")).isEqualTo("4.5");
        assertThat(x.at(s + "GrossAmount/Money")).isEqualTo("77.82");
        assertThat(x.at(s + "InvoiceDetailDiscount/Money")).isEqualTo("5");
        assertThat(x.at(s + "NetAmount/Money")).isEqualTo("72.82");
        assertThat(x.at(s + "DueAmount/Money")).isEqualTo("72.82");
        assertThat(x.all("//Money/@currency")).containsOnly("USD");
    }

    @Test
    void aCreditNoteIsACreditMemoInvoiceDetailRequestNamingTheInvoiceItCredits() throws Exception {
        JsonNode e = event("return.refunded", "", "[]");
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("data")).set("return", json.readTree("""
                {"returnId":"RMA-000007","status":"REFUNDED","currency":"USD",
                 "lines":[{"lineNo":1,"sku":"WID-100","quantity":2,"unitPrice":19.99,"amount":39.98,
                           "received":{"restock":1,"damaged":1,"scrap":0}}],
                 "refund":{"amount":35.98,"currency":"USD"}}"""));
        OutboundDocument d = make(e, OutboundDocument.CREDIT_NOTE, channel(CXML_IDS));
        assertThat(d.errors()).isNull();
        assertThat(d.status()).isEqualTo(OutboundDocument.PENDING);
        CxmlReading x = CxmlReading.of(d.text());
        assertThat(x.doctypeSystemId()).endsWith("/1.2.050/InvoiceDetail.dtd");
        String r = "/cXML/Request/InvoiceDetailRequest/";
        assertThat(x.at(r + "InvoiceDetailRequestHeader/@invoiceID")).isEqualTo("RMA-000007");
        assertThat(x.at(r + "InvoiceDetailRequestHeader/@purpose")).isEqualTo("creditMemo");
        assertThat(x.at(r + "InvoiceDetailRequestHeader/InvoiceIDInfo/@invoiceID")).isEqualTo("ORD-000042");
        String o = r + "InvoiceDetailOrder/";
        assertThat(x.at(o + "InvoiceDetailOrderInfo/OrderReference/@orderID")).isEqualTo("PO <4010> & 1");
        assertThat(x.all(o + "InvoiceDetailItem/@quantity")).containsExactly("-2");
        assertThat(x.all(o + "InvoiceDetailItem/UnitPrice/Money")).containsExactly("19.99");
        assertThat(x.all(o + "InvoiceDetailItem/InvoiceDetailItemReference/ItemID/BuyerPartID")).containsExactly("ACME-555");
        assertThat(x.all(o + "InvoiceDetailItem/SubtotalAmount/Money")).containsExactly("-39.98");
        String s = r + "InvoiceDetailSummary/";
        assertThat(x.at(s + "SubtotalAmount/Money")).isEqualTo("-39.98");
        assertThat(x.at(s + "NetAmount/Money")).isEqualTo("-35.98");
        assertThat(x.at(s + "DueAmount/Money")).isEqualTo("-35.98");
        assertThat(CxmlDocuments.label(OutboundDocument.CREDIT_NOTE)).contains("InvoiceDetailRequest");
    }

    @Test
    void aDocumentThatBreaksTheCxmlStructureIsHeldWithItsErrors() throws Exception {
        // a mapping edited so that the header lacks its required type and the price is not an amount
        String broken = new String(mappings.read("outbound/cxml/order-response.ftl"), StandardCharsets.UTF_8)
                .replace("<ConfirmationHeader type=\"${confirmationType}\"", "<ConfirmationHeader")
                .replace("<Money currency=\"${currency}\">${line.unitPrice}</Money>", "<Money currency=\"${currency}\">n/a</Money>");
        CxmlDocuments edited = new CxmlDocuments(mappings.withCandidate("outbound/cxml/order-response.ftl",
                broken.getBytes(StandardCharsets.UTF_8)), source);
        JsonNode e = event("order.confirmed", "", "[]");
        OutboundDocument d = edited.make(e, channel(CXML_IDS), OutboundDocument.ORDER_RESPONSE,
                documents.model(e, OutboundDocument.ORDER_RESPONSE, CxmlDocuments.CXML, NOW), "DOC-1", NOW);
        assertThat(d.status()).isEqualTo(OutboundDocument.HELD);
        assertThat(d.errors()).contains("type").contains("ConfirmationHeader").contains("Money: 'n/a' is not a decimal amount");

        // no credentials for the envelope: held, naming the setting
        OutboundDocument noIds = make(e, OutboundDocument.ORDER_RESPONSE, channel(null));
        assertThat(noIds.status()).isEqualTo(OutboundDocument.HELD);
        assertThat(noIds.errors()).contains("outbound.cxml");
    }

    @Test
    void theStructureCheckRefusesWhatTheCxmlDtdDoesNotAllow() {
        String ok = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/Fulfill.dtd">
                <cXML payloadID="1.x@hub" timestamp="2026-12-06T10:15:00+00:00"><Header>
                <From><Credential domain="D"><Identity>A</Identity></Credential></From>
                <To><Credential domain="D"><Identity>B</Identity></Credential></To>
                <Sender><Credential domain="D"><Identity>A</Identity></Credential><UserAgent>u</UserAgent></Sender>
                </Header><Request><ShipNoticeRequest><ShipNoticeHeader shipmentID="S" noticeDate="2026-12-06T10:15:00+00:00"/>
                %s
                </ShipNoticeRequest></Request></cXML>""";
        assertThat(CxmlStructure.check(ok.formatted(""))).isEmpty();
        // ShipControl needs a CarrierIdentifier before its ShipmentIdentifier
        assertThat(CxmlStructure.check(ok.formatted("<ShipControl><ShipmentIdentifier>1</ShipmentIdentifier></ShipControl>")))
                .isNotEmpty().anySatisfy(m -> assertThat(m).contains("ShipControl"));
        // an element the structure does not know
        assertThat(CxmlStructure.check(ok.formatted("<Foo/>"))).isNotEmpty();
        // a portion without its OrderReference, an item without quantity
        assertThat(CxmlStructure.check(ok.formatted(
                "<ShipNoticePortion><ShipNoticeItem lineNumber=\"1\"><UnitOfMeasure>EA</UnitOfMeasure></ShipNoticeItem></ShipNoticePortion>")))
                .anySatisfy(m -> assertThat(m).contains("ShipNoticePortion"))
                .anySatisfy(m -> assertThat(m).contains("quantity"));
        // a date without its offset, a DOCTYPE naming no cXML DTD
        assertThat(CxmlStructure.check(ok.formatted("").replace("noticeDate=\"2026-12-06T10:15:00+00:00\"", "noticeDate=\"2026-12-06\"")))
                .containsExactly("ShipNoticeHeader/@noticeDate: '2026-12-06' is not an ISO 8601 date and time with its offset");
        assertThat(CxmlStructure.check(ok.formatted("").replace("http://xml.cxml.org/schemas/cXML/1.2.050/Fulfill.dtd",
                "http://evil.example/x.dtd"))).anySatisfy(m -> assertThat(m).startsWith("DOCTYPE"));
        // not XML at all
        assertThat(CxmlStructure.check("ISA*00*")).hasSize(1);
    }

    @Test
    void theInboundPayloadIdIsReadFromTheOrderRequest() throws Exception {
        byte[] request = java.nio.file.Files.readAllBytes(Path.of("examples/order-cxml.xml"));
        assertThat(CxmlOrderSource.rootPayloadId(request)).contains("1625586002.193314.7293@dev");
        assertThat(CxmlOrderSource.rootPayloadId("not xml".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(CxmlDocuments.dateTime("2024-01-15")).isEqualTo("2024-01-15T00:00:00+00:00");
        assertThat(CxmlDocuments.dateTime("2000-10-12T18:41:29-08:00")).isEqualTo("2000-10-12T18:41:29-08:00");
        assertThat(List.of(CxmlDocuments.label("invoice"))).containsExactly("cXML InvoiceDetailRequest");
    }
}
