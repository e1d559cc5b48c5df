package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.outbound.EdiReading.Segment;
import org.junit.jupiter.api.Test;

/**
 * The packaged outbound mappings (mappings/outbound/) written with their envelopes and read back, without the
 * hub: what a partner's reader sees in an 855 and an ORDRSP, escaping of separators in values, and the
 * read-back catching a document that breaks its schema.
 */
class OutboundEdiTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:15:00Z");
    static final Channel.PartnerIds X12_IDS = new Channel.PartnerIds("ZZ", "ORDERHUB", "ZZ", "ACMEBUYER", null, null, "P");
    static final Channel.PartnerIds EDIFACT_IDS = new Channel.PartnerIds("ZZZ", "ORDERHUB", "14", "4012345000009", null, null, "T");

    final ObjectMapper json = new ObjectMapper();
    final EdiDocuments edi = new EdiDocuments(new MappingFiles(Path.of("mappings"), Clock.systemUTC()));
    /** The shipments' contents as the database would give them: parcel 1 holds line 1, parcel 2 line 2 and one more of line 1. */
    final DocumentLedger shipmentsOf = new DocumentLedger(null, Clock.systemUTC(), null) {
        @Override
        public Map<String, ShipmentContent> shipmentContents(String orderId) {
            return Map.of("SHP-1", new ShipmentContent("SHP-1", new java.math.BigDecimal("1.500"), Map.of(1, 2)),
                    "SHP-2", new ShipmentContent("SHP-2", null, new java.util.TreeMap<>(Map.of(1, 1, 2, 3))));
        }
    };
    final OutboundDocuments documents = new OutboundDocuments(null, shipmentsOf, edi, null, json);

    JsonNode event(String type, String fromStatus, String detail, String name) throws Exception {
        return event(type, fromStatus, detail, name, "B 7");
    }

    JsonNode event(String type, String fromStatus, String detail, String name, String partnerSku) throws Exception {
        return json.readTree("""
                {"eventId":"e-1","orderId":"ORD-000042","type":"%s","status":"X","at":"2026-12-06T10:15:00Z",
                 "data":{"fromStatus":"%s","detail":"%s","order":{"channel":"b2b","externalId":"PO-4010-1",
                   "orderDate":"2024-01-15T00:00:00Z","currency":"USD",
                   "customer":{"name":"%s","externalId":"ACME01"},
                   "lines":[{"lineNo":1,"sku":"WID-100","buyerSku":"ACME-555","description":"Widget, large","quantity":3,
                             "uom":"EA","unitPrice":19.99,"lineTotal":59.97},
                            {"lineNo":2,"sku":"BOLT-7","partnerSku":"%s","quantity":2.5,"uom":"LBR","unitPrice":4.1,
                             "lineTotal":10.25}]}}}
                """.formatted(type, fromStatus, detail, name, partnerSku));
    }

    EdiDocuments.Written write(String standard, JsonNode event, Channel.PartnerIds ids, long control) {
        Map<String, Object> model = documents.model(event, OutboundDocument.ORDER_RESPONSE, standard, NOW);
        return edi.write(standard, OutboundDocument.ORDER_RESPONSE, model, ids, control, EdiDocuments.utc(NOW));
    }

    @Test
    void anX12855AcknowledgesEveryLineAndCarriesTheControlNumberInEachEnvelope() throws Exception {
        EdiDocuments.Written w = write("x12", event("order.backordered", "CREATED",
                "stock short: line 2 (BOLT-7): 2.5 wanted, 1 available", "Acme *Stores~ Inc"), X12_IDS, 57);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(s.get(0).tag()).isEqualTo("ISA");
        assertThat(s.get(0).e(6).strip()).isEqualTo("ORDERHUB");
        assertThat(s.get(0).e(8).strip()).isEqualTo("ACMEBUYER");
        assertThat(s.get(0).e(13)).isEqualTo("000000057");
        assertThat(s.get(1).elements()).startsWith("PR", "ORDERHUB", "ACMEBUYER", "20261206", "1015", "57", "X", "004010");
        assertThat(s.get(2).elements()).containsExactly("855", "0057");
        assertThat(EdiReading.tagged(s, "BAK").get(0).elements())
                .containsExactly("00", "AC", "PO-4010-1", "20240115", "", "", "", "", "20261206");
        assertThat(EdiReading.tagged(s, "REF").get(0).elements()).containsExactly("VN", "ORD-000042");
        // the separators in the buyer's name cannot break the segment
        assertThat(EdiReading.tagged(s, "N1").get(0).elements()).containsExactly("BY", "Acme  Stores  Inc", "92", "ACME01");
        List<Segment> po1 = EdiReading.tagged(s, "PO1");
        assertThat(po1.get(0).elements()).containsExactly("1", "3", "EA", "19.99", "", "VP", "WID-100", "BP", "ACME-555");
        assertThat(po1.get(1).elements()).containsExactly("2", "2.5", "LB", "4.1", "", "VP", "BOLT-7", "BP", "B 7");
        List<Segment> ack = EdiReading.tagged(s, "ACK");
        assertThat(ack.get(0).elements()).containsExactly("IA", "3", "EA");
        assertThat(ack.get(1).elements()).containsExactly("IB", "2.5", "LB");
        assertThat(EdiReading.tagged(s, "CTT").get(0).elements()).containsExactly("2", "5.5");
        Segment se = EdiReading.tagged(s, "SE").get(0);
        int st = s.indexOf(EdiReading.tagged(s, "ST").get(0));
        assertThat(se.elements()).containsExactly(Integer.toString(s.indexOf(se) - st + 1), "0057");
        assertThat(EdiReading.tagged(s, "GE").get(0).elements()).containsExactly("1", "57");
        assertThat(EdiReading.tagged(s, "IEA").get(0).elements()).containsExactly("1", "000000057");
    }

    @Test
    void aConfirmationAfterABackorderReplacesTheEarlierResponse() throws Exception {
        EdiDocuments.Written w = write("x12", event("order.confirmed", "BACKORDERED", "stock reserved", "Acme"), X12_IDS, 58);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(EdiReading.tagged(s, "BAK").get(0).elements()).startsWith("05", "AD", "PO-4010-1");
        assertThat(EdiReading.tagged(s, "ACK")).extracting(a -> a.e(1)).containsExactly("IA", "IA");
    }

    @Test
    void anEdifactOrdrspAnswersPerLineWithReleasedSeparators() throws Exception {
        EdiDocuments.Written w = write("edifact", event("order.backordered", "CREATED",
                "stock short: line 2 (BOLT-7): 2.5 wanted, 1 available", "Acme", "B+7: 'x'?*"), EDIFACT_IDS, 9);
        assertThat(w.errors()).isEmpty();
        assertThat(w.text()).startsWith("UNA:+.?*'\nUNB+UNOY:4+ORDERHUB:ZZZ+4012345000009:14+20261206:1015+9++++++1'\n");
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(EdiReading.tagged(s, "UNH").get(0).elements()).containsExactly("9", "ORDRSP:D:96A:UN");
        assertThat(EdiReading.tagged(s, "BGM").get(0).elements()).containsExactly("231", "ORD-000042", "9", "AC");
        assertThat(EdiReading.tagged(s, "RFF").get(0).elements()).containsExactly("ON:PO-4010-1");
        assertThat(EdiReading.tagged(s, "DTM")).extracting(d -> d.e(1))
                .containsExactly("137:20261206:102", "171:20240115:102");
        assertThat(EdiReading.tagged(s, "NAD").get(0).elements()).containsExactly("BY", "ACME01::92");
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements)
                .containsExactly(List.of("1", "5", "WID-100:SA"), List.of("2", "3", "BOLT-7:SA"));
        assertThat(EdiReading.tagged(s, "QTY")).extracting(q -> q.e(1))
                .containsExactly("21:3:EA", "113:3:EA", "21:2.5:LBR", "83:2.5:LBR");
        assertThat(EdiReading.tagged(s, "PRI")).extracting(p -> p.e(1)).containsExactly("AAA:19.99", "AAA:4.1");
        // the partner's item number with every separator in it reads back as it was
        assertThat(EdiReading.tagged(s, "PIA")).extracting(Segment::elements)
                .containsExactly(List.of("5", "ACME-555:IN"), List.of("5", "B+7: 'x'?*:IN"));
        assertThat(EdiReading.tagged(s, "CNT").get(0).elements()).containsExactly("2:2");
        Segment unt = EdiReading.tagged(s, "UNT").get(0);
        int unh = s.indexOf(EdiReading.tagged(s, "UNH").get(0));
        assertThat(unt.elements()).containsExactly(Integer.toString(s.indexOf(unt) - unh + 1), "9");
        assertThat(EdiReading.tagged(s, "UNZ").get(0).elements()).containsExactly("1", "9");
    }

    JsonNode shipped() throws Exception {
        JsonNode e = event("order.shipped", "ALLOCATED", "every shipment is with a carrier", "Acme");
        com.fasterxml.jackson.databind.node.ObjectNode order = (com.fasterxml.jackson.databind.node.ObjectNode) e.path("data").path("order");
        order.putObject("shipTo").put("name", "Acme Store 12").put("line1", "100 Main Street").put("city", "Springfield")
                .put("postalCode", "62701").put("country", "US");
        ((com.fasterxml.jackson.databind.node.ObjectNode) order.get("lines").get(1)).put("quantity", 3);
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("data")).set("shipments", json.readTree("""
                [{"shipmentId":"SHP-1","warehouse":"eu-central","carrier":"UPS","service":"Ground","trackingNumber":"1Z999"},
                 {"shipmentId":"SHP-2","warehouse":"us-east","carrier":"SandboxPost","service":"Express","trackingNumber":"SP-42"}]
                """));
        return e;
    }

    EdiDocuments.Written writeShipNotice(String standard, Channel.PartnerIds ids) throws Exception {
        Map<String, Object> model = documents.model(shipped(), OutboundDocument.SHIP_NOTICE, standard, NOW);
        return edi.write(standard, OutboundDocument.SHIP_NOTICE, model, ids, 70, EdiDocuments.utc(NOW));
    }

    @Test
    void anX12856NamesEveryParcelWithCarrierTrackingAndTheQuantitiesInIt() throws Exception {
        EdiDocuments.Written w = writeShipNotice("x12", X12_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(s.get(1).e(1)).isEqualTo("SH");
        assertThat(EdiReading.tagged(s, "ST").get(0).elements()).containsExactly("856", "0070");
        assertThat(EdiReading.tagged(s, "BSN").get(0).elements()).containsExactly("00", "ORD-000042", "20261206", "1015", "0001");
        assertThat(EdiReading.tagged(s, "HL")).extracting(Segment::elements).containsExactly(
                List.of("1", "", "S"), List.of("2", "1", "O"), List.of("3", "2", "P"), List.of("4", "3", "I"),
                List.of("5", "2", "P"), List.of("6", "5", "I"), List.of("7", "5", "I"));
        assertThat(EdiReading.tagged(s, "TD1").get(0).elements()).containsExactly("CTN25", "2", "", "", "", "G", "1.5", "KG");
        assertThat(EdiReading.tagged(s, "PRF").get(0).elements()).containsExactly("PO-4010-1");
        assertThat(EdiReading.tagged(s, "TD5")).extracting(Segment::elements).containsExactly(
                List.of("", "2", "UPS", "U", "Ground"), List.of("", "2", "SandboxPost", "U", "Express"));
        assertThat(EdiReading.tagged(s, "REF")).extracting(Segment::elements).containsExactly(
                List.of("VN", "ORD-000042"), List.of("CN", "1Z999"), List.of("CN", "SP-42"));
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements).containsExactly(
                List.of("", "VP", "WID-100", "BP", "ACME-555"), List.of("", "VP", "WID-100", "BP", "ACME-555"),
                List.of("", "VP", "BOLT-7", "BP", "B 7"));
        assertThat(EdiReading.tagged(s, "SN1")).extracting(Segment::elements).containsExactly(
                List.of("", "2", "EA"), List.of("", "1", "EA"), List.of("", "3", "LB"));
        assertThat(EdiReading.tagged(s, "DTM").get(0).elements()).containsExactly("011", "20261206");
        assertThat(EdiReading.tagged(s, "CTT").get(0).elements()).containsExactly("7");
    }

    @Test
    void anEdifactDesadvPacksTheLinesPerParcelWithTheirTrackingNumbers() throws Exception {
        EdiDocuments.Written w = writeShipNotice("edifact", EDIFACT_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(EdiReading.tagged(s, "UNH").get(0).elements()).containsExactly("70", "DESADV:D:96A:UN");
        assertThat(EdiReading.tagged(s, "BGM").get(0).elements()).containsExactly("351", "ORD-000042", "9");
        assertThat(EdiReading.tagged(s, "RFF")).extracting(r -> r.e(1)).containsExactly("ON:PO-4010-1", "CN:1Z999", "CN:SP-42");
        assertThat(EdiReading.tagged(s, "NAD")).extracting(Segment::elements).containsExactly(List.of("BY", "ACME01::92"),
                List.of("DP", "", "", "Acme Store 12", "100 Main Street", "Springfield", "", "62701", "US"));
        assertThat(EdiReading.tagged(s, "TDT")).extracting(Segment::elements).containsExactly(
                List.of("20", "Ground", "", "", ":::UPS"), List.of("20", "Express", "", "", ":::SandboxPost"));
        assertThat(EdiReading.tagged(s, "CPS")).extracting(Segment::elements).containsExactly(
                List.of("1"), List.of("2", "1"), List.of("3", "1"));
        assertThat(EdiReading.tagged(s, "MEA")).extracting(Segment::elements).containsExactly(List.of("AAE", "G", "KGM:1.5"));
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements).containsExactly(
                List.of("1", "", "WID-100:SA"), List.of("1", "", "WID-100:SA"), List.of("2", "", "BOLT-7:SA"));
        assertThat(EdiReading.tagged(s, "QTY")).extracting(q -> q.e(1)).containsExactly("12:2:EA", "12:1:EA", "12:3:LBR");
        assertThat(EdiReading.tagged(s, "CNT").get(0).elements()).containsExactly("2:3");
    }


    JsonNode invoiced(String type) throws Exception {
        JsonNode e = event(type, "SHIPPED", "", "Acme");
        com.fasterxml.jackson.databind.node.ObjectNode order = (com.fasterxml.jackson.databind.node.ObjectNode) e.path("data").path("order");
        order.set("billTo", json.readTree("""
                {"name":"Accounts","company":"Acme Stores Inc","line1":"1 Ledger Way","city":"Springfield","region":"IL",
                 "postalCode":"62701","country":"US"}"""));
        order.set("shipTo", json.readTree("""
                {"name":"Acme Store 12","line1":"100 Main Street","line2":"Dock 4","city":"Springfield",
                 "region":"Sangamon County","postalCode":"62702","country":"US"}"""));
        order.set("totals", json.readTree("""
                {"subtotal":70.22,"discount":5.00,"shipping":7.5,"tax":13.34,"grandTotal":86.06}"""));
        order.set("payment", json.readTree("{\"method\":\"invoice\",\"terms\":\"NET30\"}"));
        return e;
    }

    EdiDocuments.Written writeInvoice(String standard, JsonNode event, Channel.PartnerIds ids) {
        Map<String, Object> model = documents.model(event, OutboundDocument.INVOICE, standard, NOW);
        return edi.write(standard, OutboundDocument.INVOICE, model, ids, 81, EdiDocuments.utc(NOW));
    }

    @Test
    void anX12810InvoicesEveryLineWithTotalsChargesAndTerms() throws Exception {
        EdiDocuments.Written w = writeInvoice("x12", invoiced("order.shipped"), X12_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(s.get(1).elements()).startsWith("IN", "ORDERHUB", "ACMEBUYER", "20261206", "1015", "81");
        assertThat(EdiReading.tagged(s, "ST").get(0).elements()).containsExactly("810", "0081");
        assertThat(EdiReading.tagged(s, "BIG").get(0).elements())
                .containsExactly("20261206", "ORD-000042", "20240115", "PO-4010-1");
        assertThat(EdiReading.tagged(s, "CUR").get(0).elements()).containsExactly("SE", "USD");
        assertThat(EdiReading.tagged(s, "REF").get(0).elements()).containsExactly("VN", "ORD-000042");
        assertThat(EdiReading.tagged(s, "N1")).extracting(Segment::elements).containsExactly(
                List.of("BY", "Acme", "92", "ACME01"), List.of("BT", "Acme Stores Inc"), List.of("ST", "Acme Store 12"));
        assertThat(EdiReading.tagged(s, "N3")).extracting(Segment::elements).containsExactly(
                List.of("1 Ledger Way"), List.of("100 Main Street", "Dock 4"));
        // a region longer than a state code is left out of N402
        assertThat(EdiReading.tagged(s, "N4")).extracting(Segment::elements).containsExactly(
                List.of("Springfield", "IL", "62701", "US"), List.of("Springfield", "", "62702", "US"));
        assertThat(EdiReading.tagged(s, "ITD").get(0).elements()).containsExactly("05", "3", "", "", "", "", "30");
        assertThat(EdiReading.tagged(s, "DTM").get(0).elements()).containsExactly("011", "20261206");
        assertThat(EdiReading.tagged(s, "IT1")).extracting(Segment::elements).containsExactly(
                List.of("1", "3", "EA", "19.99", "", "VP", "WID-100", "BP", "ACME-555"),
                List.of("2", "2.5", "LB", "4.1", "", "VP", "BOLT-7", "BP", "B 7"));
        assertThat(EdiReading.tagged(s, "PID").get(0).elements()).containsExactly("F", "", "", "", "Widget, large");
        assertThat(EdiReading.tagged(s, "TDS").get(0).elements()).containsExactly("8606");
        assertThat(EdiReading.tagged(s, "TXI").get(0).elements()).containsExactly("TX", "13.34");
        assertThat(EdiReading.tagged(s, "SAC")).extracting(Segment::elements).containsExactly(
                List.of("C", "D240", "", "", "750"), List.of("A", "C310", "", "", "500"));
        assertThat(EdiReading.tagged(s, "CTT").get(0).elements()).containsExactly("2", "5.5");
    }

    @Test
    void anInvoiceOnDeliveryWithoutTermsOrChargesLeavesThemOut() throws Exception {
        JsonNode e = invoiced("order.delivered");
        com.fasterxml.jackson.databind.node.ObjectNode order = (com.fasterxml.jackson.databind.node.ObjectNode) e.path("data").path("order");
        order.set("totals", json.readTree("{\"subtotal\":70.22,\"discount\":0,\"shipping\":0,\"tax\":0,\"grandTotal\":70.22}"));
        order.set("payment", json.readTree("{\"method\":\"prepaid\",\"reference\":\"NET30 is not terms here\"}"));
        EdiDocuments.Written x12 = writeInvoice("x12", e, X12_IDS);
        assertThat(x12.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(x12.text());
        assertThat(EdiReading.tagged(s, "TDS").get(0).elements()).containsExactly("7022");
        assertThat(EdiReading.tagged(s, "ITD")).isEmpty();
        assertThat(EdiReading.tagged(s, "DTM")).isEmpty();
        assertThat(EdiReading.tagged(s, "TXI")).isEmpty();
        assertThat(EdiReading.tagged(s, "SAC")).isEmpty();
        EdiDocuments.Written edifact = writeInvoice("edifact", e, EDIFACT_IDS);
        assertThat(edifact.errors()).isEmpty();
        List<Segment> f = EdiReading.segments(edifact.text());
        assertThat(EdiReading.tagged(f, "DTM")).extracting(d -> d.e(1)).containsExactly("137:20261206:102", "35:20261206:102",
                "171:20240115:102");
        assertThat(EdiReading.tagged(f, "PAT")).isEmpty();
        assertThat(EdiReading.tagged(f, "ALC")).isEmpty();
        assertThat(EdiReading.tagged(f, "MOA")).extracting(m -> m.e(1)).endsWith("79:70.22", "176:0", "77:70.22");
    }

    @Test
    void anEdifactInvoicInvoicesEveryLineWithAmountsChargesAndTerms() throws Exception {
        EdiDocuments.Written w = writeInvoice("edifact", invoiced("order.shipped"), EDIFACT_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(EdiReading.tagged(s, "UNH").get(0).elements()).containsExactly("81", "INVOIC:D:96A:UN");
        assertThat(EdiReading.tagged(s, "BGM").get(0).elements()).containsExactly("380", "ORD-000042", "9");
        assertThat(EdiReading.tagged(s, "DTM")).extracting(d -> d.e(1)).containsExactly("137:20261206:102", "11:20261206:102",
                "171:20240115:102");
        assertThat(EdiReading.tagged(s, "RFF")).extracting(r -> r.e(1)).containsExactly("ON:PO-4010-1", "VN:ORD-000042");
        assertThat(EdiReading.tagged(s, "NAD")).extracting(Segment::elements).containsExactly(
                List.of("BY", "ACME01::92"),
                List.of("IV", "", "", "Acme Stores Inc", "1 Ledger Way", "Springfield", "IL", "62701", "US"),
                List.of("DP", "", "", "Acme Store 12", "100 Main Street", "Springfield", "", "62702", "US"));
        assertThat(EdiReading.tagged(s, "CUX").get(0).elements()).containsExactly("2:USD:4");
        assertThat(EdiReading.tagged(s, "PAT").get(0).elements()).containsExactly("1", "", "5:3:D:30");
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements)
                .containsExactly(List.of("1", "", "WID-100:SA"), List.of("2", "", "BOLT-7:SA"));
        assertThat(EdiReading.tagged(s, "QTY")).extracting(q -> q.e(1)).containsExactly("47:3:EA", "47:2.5:LBR");
        assertThat(EdiReading.tagged(s, "PRI")).extracting(p -> p.e(1)).containsExactly("AAA:19.99", "AAA:4.1");
        assertThat(EdiReading.tagged(s, "MOA")).extracting(m -> m.e(1)).containsExactly("203:59.97", "203:10.25",
                "79:70.22", "176:13.34", "77:86.06", "23:7.5", "204:5");
        assertThat(EdiReading.tagged(s, "ALC")).extracting(Segment::elements).containsExactly(
                List.of("C", "", "", "", "FC"), List.of("A", "", "", "", "DI"));
        assertThat(EdiReading.tagged(s, "CNT").get(0).elements()).containsExactly("2:2");
    }

    /** A refunded return of ORD-000042: line 1 asked 2, 1 received back; line 2 asked 1, none received; 10 % fee. */
    JsonNode refunded() throws Exception {
        JsonNode e = event("return.refunded", "RECEIVED", "", "Acme");
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("data")).set("return", json.readTree("""
                {"returnId":"RMA-000007","orderId":"ORD-000042","status":"REFUNDED","resolution":"REFUND","currency":"USD",
                 "lines":[{"lineNo":1,"sku":"WID-100","quantity":2,"reason":"damaged*in~transit","unitPrice":19.99,
                           "amount":39.98,"received":{"restock":1,"damaged":0,"scrap":0}},
                          {"lineNo":2,"sku":"BOLT-7","quantity":1,"unitPrice":4.1,"amount":4.1,
                           "received":{"restock":0,"damaged":0,"scrap":0}}],
                 "refund":{"amount":17.99,"currency":"USD"}}"""));
        return e;
    }

    EdiDocuments.Written writeCreditNote(String standard, JsonNode event, Channel.PartnerIds ids) {
        Map<String, Object> model = documents.model(event, OutboundDocument.CREDIT_NOTE, standard, NOW);
        return edi.write(standard, OutboundDocument.CREDIT_NOTE, model, ids, 82, EdiDocuments.utc(NOW));
    }

    @Test
    void anX12CreditMemoCreditsTheUnitsReceivedBackAndTheAmountRefunded() throws Exception {
        EdiDocuments.Written w = writeCreditNote("x12", refunded(), X12_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(s.get(1).elements()).startsWith("IN", "ORDERHUB", "ACMEBUYER", "20261206", "1015", "82");
        assertThat(EdiReading.tagged(s, "ST").get(0).elements()).containsExactly("810", "0082");
        assertThat(EdiReading.tagged(s, "BIG").get(0).elements())
                .containsExactly("20261206", "RMA-000007", "20240115", "PO-4010-1", "", "", "CR");
        assertThat(EdiReading.tagged(s, "REF")).extracting(Segment::elements).containsExactly(
                List.of("VN", "ORD-000042"), List.of("IV", "ORD-000042"), List.of("RZ", "RMA-000007"));
        // only the unit that came back is credited, at the price paid; the line nothing came back of is left out
        assertThat(EdiReading.tagged(s, "IT1")).extracting(Segment::elements).containsExactly(
                List.of("1", "1", "EA", "19.99", "", "VP", "WID-100", "BP", "ACME-555"));
        assertThat(EdiReading.tagged(s, "PID").get(0).elements()).containsExactly("F", "", "", "", "Widget, large");
        assertThat(EdiReading.tagged(s, "TDS").get(0).elements()).containsExactly("1799", "1999");
        assertThat(EdiReading.tagged(s, "CTT").get(0).elements()).containsExactly("1", "1");
    }

    @Test
    void anEdifactCreditNoteIsAnInvoic381NamingTheInvoiceItCredits() throws Exception {
        EdiDocuments.Written w = writeCreditNote("edifact", refunded(), EDIFACT_IDS);
        assertThat(w.errors()).isEmpty();
        List<Segment> s = EdiReading.segments(w.text());
        assertThat(EdiReading.tagged(s, "UNH").get(0).elements()).containsExactly("82", "INVOIC:D:96A:UN");
        assertThat(EdiReading.tagged(s, "BGM").get(0).elements()).containsExactly("381", "RMA-000007", "9");
        assertThat(EdiReading.tagged(s, "RFF")).extracting(r -> r.e(1)).containsExactly("ON:PO-4010-1", "IV:ORD-000042",
                "VN:ORD-000042");
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements).containsExactly(List.of("1", "", "WID-100:SA"));
        assertThat(EdiReading.tagged(s, "QTY")).extracting(q -> q.e(1)).containsExactly("61:1:EA");
        assertThat(EdiReading.tagged(s, "MOA")).extracting(m -> m.e(1)).containsExactly("203:19.99", "79:19.99", "77:17.99");
        assertThat(EdiReading.tagged(s, "CNT").get(0).elements()).containsExactly("2:1");
    }

    @Test
    void aRefundedReturnOwesTheCreditNoteWhereTheChannelTakesIt() {
        assertThat(OutboundDocuments.types("return.refunded", new Channel.Outbound(null, null, "SHIPPED", null, null,
                X12_IDS, null))).containsExactly("credit-note");
        assertThat(OutboundDocuments.types("return.refunded", new Channel.Outbound(List.of("invoice"), null, "SHIPPED",
                null, null, X12_IDS, null))).isEmpty();
        assertThat(OutboundDocuments.types("return.credited", new Channel.Outbound(null, null, "SHIPPED", null, null,
                X12_IDS, null))).isEmpty();
    }

    @Test
    void theInvoiceGoesWithTheEventTheChannelInvoicesOn() {
        Channel.Outbound onShipped = new Channel.Outbound(null, null, "SHIPPED", null, null, X12_IDS, null);
        Channel.Outbound onDelivered = new Channel.Outbound(null, null, "delivered", null, null, X12_IDS, null);
        assertThat(OutboundDocuments.types("order.shipped", onShipped)).containsExactly("ship-notice", "invoice");
        assertThat(OutboundDocuments.types("order.delivered", onShipped)).isEmpty();
        assertThat(OutboundDocuments.types("order.shipped", onDelivered)).containsExactly("ship-notice");
        assertThat(OutboundDocuments.types("order.delivered", onDelivered)).containsExactly("invoice");
        Channel.Outbound noInvoices = new Channel.Outbound(List.of("ship-notice"), null, "SHIPPED", null, null, X12_IDS, null);
        assertThat(OutboundDocuments.types("order.shipped", noInvoices)).containsExactly("ship-notice");
    }

    @Test
    void theEdifactEscapesAreReadBackAsTheValue() {
        assertThat(EdiText.edifact("M\u00fcller+Co: 'Nord'?*")).isEqualTo("M\u00fcller?+Co?: ?'Nord?'???*");
        assertThat(EdiText.x12("a*b~c>d^e\nf")).isEqualTo("a b c d e f");
    }

    @Test
    void aDocumentThatBreaksItsSchemaIsFoundBeforeSending() throws Exception {
        JsonNode event = event("order.confirmed", "CREATED", "", "Acme");
        // X12 BAK03 holds at most 22 characters
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("data").path("order"))
                .put("externalId", "PO-THAT-IS-FAR-TOO-LONG-FOR-BAK03");
        EdiDocuments.Written w = write("x12", event, X12_IDS, 60);
        assertThat(w.errors()).anySatisfy(e -> assertThat(e).contains("segment BAK").contains("element 3")
                .contains("data element too long"));
    }
}
