package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;

/**
 * The packaged UBL mappings (mappings/outbound/ubl/) written and validated without the hub: an OrderResponse naming
 * a backordered line, a DespatchAdvice with two parcels, a Peppol BIS Billing 3 invoice that passes the UBL 2.1 XSD
 * and the EN 16931 / Peppol Schematron, XML escaping of values, and the validation catching invalid documents
 * (an XSD error, a broken business rule, a tax rate that is not configured).
 */
class OutboundUblTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:15:00Z");
    static final Channel.PartnerIds UBL_IDS = new Channel.PartnerIds(null, null, "0088", "4012345000009", null, null, null);
    static final UblDocuments.Seller SELLER = new UblDocuments.Seller("OrderHub Demo Supplies GmbH", "0088",
            "4000001000005", "DE999999999", "Hafenstrasse 1", "Hamburg", "20457", "DE", "DE75512108001245126199");

    final ObjectMapper json = new ObjectMapper();
    final MappingFiles mappings = new MappingFiles(Path.of("mappings"), Clock.systemUTC());
    final UblDocuments ubl = new UblDocuments(mappings, SELLER, UblDocuments.parseTaxCategories("S:19,S:7,Z:0"), true);
    /** Parcel SHP-1 holds 2 of line 1, parcel SHP-2 one more of line 1 and line 2. */
    final DocumentLedger shipmentsOf = new DocumentLedger(null, Clock.systemUTC(), null) {
        @Override
        public Map<String, ShipmentContent> shipmentContents(String orderId) {
            return new java.util.LinkedHashMap<>(Map.of("SHP-1", new ShipmentContent("SHP-1", new BigDecimal("1.500"), Map.of(1, 2)),
                    "SHP-2", new ShipmentContent("SHP-2", new BigDecimal("2.25"), new java.util.TreeMap<>(Map.of(1, 1, 2, 4)))));
        }
    };
    final OutboundDocuments documents = new OutboundDocuments(null, shipmentsOf, null, ubl, null, json);

    JsonNode event(String type, String fromStatus, String detail, String buyer, String tax, String grandTotal) throws Exception {
        return json.readTree("""
                {"eventId":"e-1","orderId":"ORD-000042","type":"%s","status":"X","at":"2026-12-06T10:15:00Z",
                 "data":{"fromStatus":"%s","detail":"%s",
                   "shipments":[{"shipmentId":"SHP-1","carrier":"DHL","service":"EXPRESS","trackingNumber":"JD0001"},
                                {"shipmentId":"SHP-2","carrier":"DHL","service":"EXPRESS","trackingNumber":"JD0002"}],
                   "order":{"channel":"b2b","externalId":"PO-4010-1",
                   "orderDate":"2026-11-20T09:15:00+01:00","currency":"EUR",
                   "customer":{"name":"Anna Sommer","company":"%s","externalId":"C-1009","vatId":"DE123456789"},
                   "billTo":{"name":"Accounts","company":"Sonnenschein Holding AG","line1":"Postfachweg 1","city":"Augsburg",
                             "postalCode":"86150","country":"DE"},
                   "shipTo":{"name":"Max Korn","company":"Filiale Laim","line1":"Lagerstrasse 7","city":"Muenchen",
                             "postalCode":"80339","country":"DE"},
                   "payment":{"method":"invoice","terms":"NET30"},
                   "lines":[{"lineNo":1,"sku":"FL-1150","buyerSku":"MEHL-R","description":"Rye flour","quantity":3,
                             "uom":"KGM","unitPrice":8.5,"lineTotal":25.5},
                            {"lineNo":2,"sku":"BP-5","quantity":4,"uom":"PCE","unitPrice":2.5,"lineTotal":9.5,
                             "discounts":[{"amount":0.5,"description":"Pack discount"}]}],
                   "totals":{"subtotal":35,"discount":5,"shipping":10,"tax":%s,"grandTotal":%s}}}}
                """.formatted(type, fromStatus, detail, buyer, tax, grandTotal));
    }

    UblDocuments.Written write(String type, JsonNode event) {
        Map<String, Object> model = documents.model(event, type, UblDocuments.UBL, NOW);
        return ubl.write(type, model, UBL_IDS, "DOC-3f2b6c1e-1111-3222-8333-444455556666", 7, NOW);
    }

    @Test
    void anOrderResponseNamesTheBackorderedLineAndEscapesValues() throws Exception {
        UblDocuments.Written w = write(OutboundDocument.ORDER_RESPONSE, event("order.backordered", "CREATED",
                "stock short: line 2 (BP-5): 4 wanted, 1 available", "Bäcker & <Söhne>", "7.60", "47.60"));
        assertThat(w.errors()).isEmpty();
        UblReading r = UblReading.of(w.text());
        assertThat(r.root()).isEqualTo("OrderResponse");
        assertThat(r.text("/*/cbc:ID")).isEqualTo("ORD-000042-7");
        assertThat(r.text("/*/cbc:UUID")).isEqualTo("3f2b6c1e-1111-3222-8333-444455556666");
        assertThat(r.text("/*/cbc:IssueDate")).isEqualTo("2026-12-06");
        assertThat(r.text("/*/cbc:OrderResponseCode")).isEqualTo("CA");
        assertThat(r.text("/*/cac:OrderReference/cbc:ID")).isEqualTo("PO-4010-1");
        assertThat(r.text("/*/cac:OrderReference/cbc:IssueDate")).isEqualTo("2026-11-20");
        assertThat(r.text("/*/cac:BuyerCustomerParty/cac:Party/cac:PartyName/cbc:Name")).isEqualTo("Bäcker & <Söhne>");
        assertThat(r.text("/*/cac:BuyerCustomerParty/cac:Party/cbc:EndpointID")).isEqualTo("4012345000009");
        assertThat(r.text("/*/cac:SellerSupplierParty/cac:Party/cbc:EndpointID/@schemeID")).isEqualTo("0088");
        assertThat(r.texts("//cac:LineItem/cbc:LineStatusCode")).containsExactly("5", "3");
        assertThat(r.texts("//cac:LineItem/cbc:Quantity")).containsExactly("3", "4");
        assertThat(r.texts("//cac:LineItem/cbc:Quantity/@unitCode")).containsExactly("KGM", "H87");
        assertThat(r.texts("//cac:LineItem/cbc:MaximumBackorderQuantity")).containsExactly("4");
        assertThat(r.texts("//cac:LineItem/cac:Price/cbc:PriceAmount")).containsExactly("8.5", "2.5");
        assertThat(r.texts("//cac:LineItem/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly("FL-1150", "BP-5");
        assertThat(r.texts("//cac:LineItem/cac:Item/cac:BuyersItemIdentification/cbc:ID")).containsExactly("MEHL-R");
    }

    @Test
    void aDespatchAdviceNamesEachParcelWithItsCarrierTrackingAndLines() throws Exception {
        UblDocuments.Written w = write(OutboundDocument.SHIP_NOTICE, event("order.shipped", "ALLOCATED", "", "Acme",
                "7.60", "47.60"));
        assertThat(w.errors()).isEmpty();
        UblReading r = UblReading.of(w.text());
        assertThat(r.root()).isEqualTo("DespatchAdvice");
        assertThat(r.text("/*/cac:OrderReference/cbc:ID")).isEqualTo("PO-4010-1");
        assertThat(r.text("/*/cac:Shipment/cbc:ConsignmentQuantity")).isEqualTo("2");
        assertThat(r.text("/*/cac:Shipment/cbc:GrossWeightMeasure")).isEqualTo("3.75");
        assertThat(r.texts("//cac:Consignment/cbc:CarrierAssignedID")).containsExactly("JD0001", "JD0002");
        assertThat(r.texts("//cac:Consignment/cac:CarrierParty/cac:PartyName/cbc:Name")).containsExactly("DHL", "DHL");
        assertThat(r.texts("//cac:DespatchLine/cbc:DeliveredQuantity")).containsExactly("2", "1", "4");
        assertThat(r.texts("//cac:DespatchLine/cac:OrderLineReference/cbc:LineID")).containsExactly("1", "1", "2");
        assertThat(r.texts("//cac:DespatchLine/cac:Shipment/cbc:ID")).containsExactly("SHP-1", "SHP-2", "SHP-2");
        assertThat(r.text("/*/cac:DeliveryCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName")).isEqualTo("Muenchen");
    }

    @Test
    void anInvoicePassesTheXsdAndThePeppolRulesWithItsTotals() throws Exception {
        // taxable 35 - 5 + 10 = 40; 19 % = 7.60
        UblDocuments.Written w = write(OutboundDocument.INVOICE, event("order.shipped", "ALLOCATED", "", "Acme",
                "7.60", "47.60"));
        assertThat(w.errors()).isEmpty();
        UblReading r = UblReading.of(w.text());
        assertThat(r.root()).isEqualTo("Invoice");
        assertThat(r.text("/*/cbc:CustomizationID"))
                .isEqualTo("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0");
        assertThat(r.text("/*/cbc:ID")).isEqualTo("ORD-000042");
        assertThat(r.text("/*/cbc:DueDate")).isEqualTo("2027-01-05");
        assertThat(r.text("/*/cac:OrderReference/cbc:ID")).isEqualTo("PO-4010-1");
        assertThat(r.text("/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")).isEqualTo("DE999999999");
        assertThat(r.text("/*/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")).isEqualTo("DE75512108001245126199");
        assertThat(r.text("/*/cac:TaxTotal/cbc:TaxAmount")).isEqualTo("7.60");
        assertThat(r.text("/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount")).isEqualTo("40.00");
        assertThat(r.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("19");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount")).isEqualTo("35.00");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount")).isEqualTo("5.00");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:ChargeTotalAmount")).isEqualTo("10.00");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:PayableAmount")).isEqualTo("47.60");
        assertThat(r.texts("//cac:InvoiceLine/cbc:LineExtensionAmount")).containsExactly("25.50", "9.50");
        assertThat(r.texts("//cac:InvoiceLine/cac:AllowanceCharge/cbc:Amount")).containsExactly("0.50");
    }

    @Test
    void anInvoiceBreakingABusinessRuleIsInvalidWithTheRuleNamed() throws Exception {
        // the payable amount (grandTotal 50) is not the tax-inclusive amount 47.60: EN 16931 BR-CO-16
        UblDocuments.Written w = write(OutboundDocument.INVOICE, event("order.shipped", "ALLOCATED", "", "Acme",
                "7.60", "50.00"));
        assertThat(w.errors()).anySatisfy(e -> assertThat(e).startsWith("[BR-CO-16]"));
    }

    @Test
    void anOrderWhoseTaxFitsNoConfiguredRateIsNotInvoiced() throws Exception {
        UblDocuments.Written w = write(OutboundDocument.INVOICE, event("order.shipped", "ALLOCATED", "", "Acme",
                "4.00", "44.00"));
        assertThat(w.errors()).anySatisfy(e -> assertThat(e).contains("10.00 %").contains("S:19,S:7,Z:0"));
    }

    // ---- the credit note (issue 22)

    /** The refund's parts the return's return.received event itemised, and whether the order's invoice went. */
    String receivedParts = "";
    Instant invoiceMade;
    final DocumentLedger returnsOf = new DocumentLedger(null, Clock.systemUTC(), null) {
        @Override
        public List<String> eventPayloads(String orderId, String type) {
            return receivedParts.isEmpty() ? List.of() : List.of("{\"data\":{\"returnId\":\"RMA-OTHER\",\"refund\":{}}}",
                    "{\"data\":{\"returnId\":\"RMA-000007\",\"refund\":" + receivedParts + "}}");
        }

        @Override
        public java.util.Optional<Instant> invoiceSentMade(String orderId) {
            return java.util.Optional.ofNullable(invoiceMade);
        }
    };
    final OutboundDocuments creditDocuments = new OutboundDocuments(null, returnsOf, null, ubl, null, json);

    /**
     * ORD-000042 without shipping (taxable 35 - 5 = 30, 19 % = 5.70) refunded for 2 of the 3 units of line 1 (17.00,
     * their share of the discount 2.43 and of the tax 2.77): 17.34 credited.
     */
    UblDocuments.Written writeCreditNote(String credited) throws Exception {
        JsonNode e = event("return.refunded", "RECEIVED", "", "Acme", "5.70", "35.70");
        com.fasterxml.jackson.databind.node.ObjectNode data = (com.fasterxml.jackson.databind.node.ObjectNode) e.path("data");
        ((com.fasterxml.jackson.databind.node.ObjectNode) data.path("order").path("totals")).put("shipping", 0);
        data.set("return", json.readTree("""
                {"returnId":"RMA-000007","orderId":"ORD-000042","status":"REFUNDED","resolution":"REFUND","currency":"EUR",
                 "lines":[{"lineNo":1,"sku":"FL-1150","quantity":3,"reason":"damaged","unitPrice":8.5,"amount":25.5,
                           "received":{"restock":2,"damaged":0,"scrap":0}},
                          {"lineNo":2,"sku":"BP-5","quantity":1,"unitPrice":2.375,"amount":2.38,
                           "received":{"restock":0,"damaged":0,"scrap":0}}],
                 "refund":{"amount":%s,"currency":"EUR"}}""".formatted(credited)));
        Map<String, Object> model = creditDocuments.model(e, OutboundDocument.CREDIT_NOTE, UblDocuments.UBL, NOW);
        return ubl.write(OutboundDocument.CREDIT_NOTE, model, UBL_IDS, "DOC-3f2b6c1e-1111-3222-8333-444455556666", 9, NOW);
    }

    @Test
    void aCreditNotePassesTheXsdAndThePeppolRulesWithTheRefundsTaxAndAmount() throws Exception {
        receivedParts = """
                {"goods":17.00,"orderDiscount":2.43,"tax":2.77,"shipping":0.00,"restockingFee":0.00,"amount":17.34}""";
        invoiceMade = Instant.parse("2026-11-25T08:00:00Z");
        UblDocuments.Written w = writeCreditNote("17.34");
        assertThat(w.errors()).isEmpty();
        UblReading r = UblReading.of(w.text());
        assertThat(r.root()).isEqualTo("CreditNote");
        assertThat(r.text("/*/cbc:CustomizationID"))
                .isEqualTo("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0");
        assertThat(r.text("/*/cbc:ProfileID")).isEqualTo("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        assertThat(r.text("/*/cbc:ID")).isEqualTo("RMA-000007");
        assertThat(r.text("/*/cbc:CreditNoteTypeCode")).isEqualTo("381");
        assertThat(r.text("/*/cac:OrderReference/cbc:ID")).isEqualTo("PO-4010-1");
        assertThat(r.text("/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).isEqualTo("ORD-000042");
        assertThat(r.text("/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")).isEqualTo("2026-11-25");
        assertThat(r.text("/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")).isEqualTo("DE999999999");
        assertThat(r.text("/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")).isEqualTo("4012345000009");
        // only the units that came back, at the price paid
        assertThat(r.texts("//cac:CreditNoteLine/cbc:ID")).containsExactly("1");
        assertThat(r.texts("//cac:CreditNoteLine/cbc:CreditedQuantity")).containsExactly("2");
        assertThat(r.texts("//cac:CreditNoteLine/cbc:CreditedQuantity/@unitCode")).containsExactly("KGM");
        assertThat(r.texts("//cac:CreditNoteLine/cbc:LineExtensionAmount")).containsExactly("17.00");
        assertThat(r.texts("//cac:CreditNoteLine/cac:Price/cbc:PriceAmount")).containsExactly("8.5");
        assertThat(r.texts("//cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cbc:ID")).containsExactly("FL-1150");
        assertThat(r.texts("/*/cac:AllowanceCharge/cbc:Amount")).containsExactly("2.43");
        assertThat(r.text("/*/cac:TaxTotal/cbc:TaxAmount")).isEqualTo("2.77");
        assertThat(r.text("/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount")).isEqualTo("14.57");
        assertThat(r.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")).isEqualTo("S");
        assertThat(r.text("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("19");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")).isEqualTo("17.34");
        assertThat(r.text("/*/cac:LegalMonetaryTotal/cbc:PayableAmount")).isEqualTo("17.34");

        // no invoice sent: no reference to one
        invoiceMade = null;
        UblDocuments.Written without = writeCreditNote("17.34");
        assertThat(without.errors()).isEmpty();
        assertThat(UblReading.of(without.text()).texts("/*/cac:BillingReference")).isEmpty();
    }

    @Test
    void aCreditNoteThatCannotStateTheRefundIsInvalidWithTheReason() throws Exception {
        // capped to what was captured: 10.00 paid back, not 17.34
        receivedParts = """
                {"goods":17.00,"orderDiscount":2.43,"tax":2.77,"shipping":0.00,"restockingFee":0.00,"amount":10.00,
                 "cappedFrom":17.34}""";
        assertThat(writeCreditNote("10.00").errors()).anySatisfy(e -> assertThat(e)
                .contains("the amount credited 10.00 is not").contains("17.34").contains("capped"));
        // a fee taken before tax: 19 % of 17.00 - 2.43 - 10.00 is 0.87, the refund's tax 2.77
        receivedParts = """
                {"goods":17.00,"orderDiscount":2.43,"tax":2.77,"shipping":0.00,"restockingFee":10.00,"amount":7.34}""";
        assertThat(writeCreditNote("7.34").errors()).anySatisfy(e -> assertThat(e)
                .contains("the refund's tax 2.77 is not 19 % of the credited taxable amount 4.57 (0.87)"))
                .anySatisfy(e -> assertThat(e).startsWith("[BR-CO-17]"));
        // the return.received event is gone from the outbox, or it was a channel's own refund (amount and shipping only)
        receivedParts = "";
        assertThat(writeCreditNote("17.34").errors()).anySatisfy(e -> assertThat(e)
                .contains("refund's parts").contains("are not known").contains("no longer in the outbox"));
        receivedParts = """
                {"amount":17.34,"currency":"EUR","shipping":0.00,"method":"channel","gateway":"shopify"}""";
        assertThat(writeCreditNote("17.34").errors()).anySatisfy(e -> assertThat(e)
                .contains("refund's parts").contains("channel's own"));
    }

    @Test
    void aDocumentBreakingTheXsdIsInvalid() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
                    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
                <cbc:IssueDate>2026-12-06</cbc:IssueDate>
                <cbc:ID>X</cbc:ID>
                </OrderResponse>
                """;
        assertThat(ubl.validate(OutboundDocument.ORDER_RESPONSE, xml)).isNotEmpty()
                .anySatisfy(e -> assertThat(e).startsWith("XSD line"));
        assertThat(ubl.validate(OutboundDocument.INVOICE, xml)).containsExactly("the root element is OrderResponse, not Invoice");
        assertThat(ubl.validate(OutboundDocument.INVOICE, "<Invoice")).singleElement()
                .satisfies(e -> assertThat(e).startsWith("not well-formed XML"));
    }

    @Test
    void taxCategoriesAreParsedAndChosenByTheirRate() {
        assertThat(ubl.category(new BigDecimal("100"), new BigDecimal("7"))).isEqualTo(
                new UblDocuments.TaxCategory("S", new BigDecimal("7")));
        assertThat(ubl.category(new BigDecimal("100"), BigDecimal.ZERO).id()).isEqualTo("Z");
        assertThat(ubl.category(new BigDecimal("100"), new BigDecimal("8"))).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UblDocuments.parseTaxCategories("S19"))
                .hasMessageContaining("CATEGORY:PERCENT");
        assertThat(UblDocuments.parseTaxCategories(" S:19 , Z:0 ")).extracting(UblDocuments.TaxCategory::id)
                .isEqualTo(List.of("S", "Z"));
    }
}
