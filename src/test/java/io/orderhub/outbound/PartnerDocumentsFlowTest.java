package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.outbound.EdiReading.Segment;
import io.orderhub.security.EventSignatures;
import io.orderhub.shipping.ShippingTestSupport;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Partner documents through the running hub, by the JMS transport: an X12 850 of the test channel b2b-jms (the demo
 * b2b channel with {@code transport: {type: jms}}, TestMappings; the demo b2b mails its documents, B2bTourMailTest)
 * confirmed → an 855 on the queue orders.outbound (property channel), read back with StAEDI and matched to the order; an EDIFACT ORDERS
 * backordered → an ORDRSP saying so per line; a shipped X12 order → an 856 and an 810 matched to the order;
 * the documents API; one document per event also when the event comes twice; control numbers per partner that increase and are never given twice, also to
 * concurrent transactions (two hub instances).
 */
class PartnerDocumentsFlowTest extends ShippingTestSupport {

    private static final String OUTBOUND_SUBSCRIPTION = "orders.events::b2b.outbound";

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EventSignatures signatures;
    @Autowired
    DocumentLedger ledger;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    org.apache.camel.CamelContext camel;

    @Test
    void aConfirmedX12OrderIsAnsweredWithAn855OnTheOutboundQueue() throws Exception {
        String sku = product(10, 0);
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitX12(po, sku, 3);
        awaitEvent(orderId, "order.confirmed");

        Message m = receive(orderId, "order-response");
        assertThat(m.getStringProperty("channel")).isEqualTo("b2b-jms");
        assertThat(m.getStringProperty("standard")).isEqualTo("x12");
        String text = ((TextMessage) m).getText();
        List<Segment> s = EdiReading.segments(text);
        assertThat(s.get(0).e(8).strip()).isEqualTo("ACMEBUYER");
        assertThat(EdiReading.tagged(s, "ST").get(0).e(1)).isEqualTo("855");
        assertThat(EdiReading.tagged(s, "BAK").get(0).elements()).startsWith("00", "AD", po, "20240115");
        assertThat(EdiReading.tagged(s, "REF").get(0).elements()).containsExactly("VN", orderId);
        assertThat(EdiReading.tagged(s, "PO1").get(0).elements()).startsWith("1", "3", "EA", "19.99", "", "VP", sku);
        assertThat(EdiReading.tagged(s, "ACK").get(0).elements()).containsExactly("IA", "3", "EA");
        long control = Long.parseLong(m.getStringProperty("controlNumber"));
        assertThat(s.get(0).e(13)).isEqualTo(String.format("%09d", control));

        JsonNode docs = get("/api/orders/" + orderId + "/documents", B2B_JMS_KEY).body();
        assertThat(docs).hasSize(1);
        JsonNode doc = docs.get(0);
        assertThat(doc.get("documentId").asText()).isEqualTo(m.getStringProperty("documentId"));
        assertThat(doc.get("type").asText()).isEqualTo("order-response");
        assertThat(doc.get("standard").asText()).isEqualTo("x12");
        assertThat(doc.get("controlNumber").asLong()).isEqualTo(control);
        assertThat(doc.get("status").asText()).isEqualTo("SENT");
        assertThat(doc.get("transport").asText()).isEqualTo("jms");
        Response content = get("/api/documents/" + doc.get("documentId").asText() + "/content", B2B_JMS_KEY);
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.header("Content-Type")).startsWith("application/edi-x12");
        assertThat(new String(content.bytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        // another channel does not see them
        assertThat(get("/api/documents/" + doc.get("documentId").asText() + "/content", WEBSHOP_KEY).status()).isEqualTo(404);

        // the event again (a redelivery after a crash, or a replay): no second document, nothing sent again
        republish(orderId, "order.confirmed");
        await().atMost(Duration.ofSeconds(30)).until(() -> drained(orderId));
        assertThat(receiveNow(orderId)).isNull();
        assertThat(jdbc.queryForObject("select count(*) from outbound_documents where order_id = ?", Integer.class, orderId))
                .isEqualTo(1);
        // the partner's next document takes the next number
        String orderId2 = submitX12("PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), product(10, 0), 1);
        Message next = receive(orderId2, "order-response");
        assertThat(Long.parseLong(next.getStringProperty("controlNumber"))).isGreaterThan(control);

        // an operator resends it: same bytes, same control number, audited
        Response resent = post("/api/documents/" + doc.get("documentId").asText() + "/resend", OPS_KEY, "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
        Message again = receive(orderId, "order-response");
        assertThat(((TextMessage) again).getText()).isEqualTo(text);
        assertThat(again.getStringProperty("controlNumber")).isEqualTo(Long.toString(control));
        assertThat(jdbc.queryForObject("select attempts from outbound_documents where document_id = ?", Integer.class,
                doc.get("documentId").asText())).isEqualTo(2);
        assertThat(get("/api/ops/audit", OPS_KEY).text()).contains("document.resend");

        // the partner's 997 accepts it: ACKNOWLEDGED; a 997 naming a group we never sent is reported unmatched
        String set = EdiReading.tagged(s, "ST").get(0).e(2);
        String ack = String.join("~\n",
                "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *261206*1100*U*00401*000000777*0*P*>",
                "GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*777*X*004010",
                "ST*997*0001", "AK1*PR*" + control, "AK2*855*" + set, "AK5*A", "AK9*A*1*1*1", "SE*6*0001",
                "ST*997*0002", "AK1*PR*999999999", "AK9*A*1*1*1", "SE*4*0002",
                "GE*2*777", "IEA*1*000000777") + "~\n";
        assertThat(post("/api/channels/b2b-jms/acknowledgements", WEBSHOP_KEY, "application/edi-x12",
                ack.getBytes(StandardCharsets.UTF_8)).status()).as("another channel's key").isEqualTo(403);
        Response matched = post("/api/channels/b2b-jms/acknowledgements", B2B_JMS_KEY, "application/edi-x12",
                ack.getBytes(StandardCharsets.UTF_8));
        assertThat(matched.status()).as(matched.toString()).isEqualTo(200);
        assertThat(matched.body().get("matched").asInt()).isEqualTo(1);
        assertThat(matched.body().get("unmatched").asInt()).isEqualTo(1);
        assertThat(matched.body().get("documents").get(0).get("documentId").asText()).isEqualTo(doc.get("documentId").asText());
        JsonNode acknowledged = get("/api/orders/" + orderId + "/documents", B2B_JMS_KEY).body().get(0);
        assertThat(acknowledged.get("status").asText()).isEqualTo("ACKNOWLEDGED");
    }

    @Test
    void aShippedX12OrderIsAnsweredWithAn856NamingItsParcel() throws Exception {
        String sku = product(10, 0);
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitX12(po, sku, 2);
        awaitStatus(orderId, "CONFIRMED");
        // b2b is paid by hand: the operator's payment stands in
        orders.transition(orderId, io.orderhub.order.OrderStatus.PAID, "order.paid", "paid by bank transfer");
        awaitStatus(orderId, "ALLOCATED");
        String shipmentId = shipmentIn(orderId, "eu-central");
        pack(shipmentId);
        awaitEvent(orderId, "order.shipped");
        String tracking = jdbc.queryForObject("select tracking_number from shipments where shipment_id = ?", String.class,
                shipmentId);
        String carrier = jdbc.queryForObject("select carrier from shipments where shipment_id = ?", String.class, shipmentId);

        Message m = receive(orderId, "ship-notice");
        List<Segment> s = EdiReading.segments(((TextMessage) m).getText());
        assertThat(EdiReading.tagged(s, "ST").get(0).e(1)).isEqualTo("856");
        assertThat(EdiReading.tagged(s, "BSN").get(0).e(2)).isEqualTo(orderId);
        assertThat(EdiReading.tagged(s, "PRF").get(0).elements()).containsExactly(po);
        assertThat(EdiReading.tagged(s, "TD5").get(0).e(3)).isEqualTo(carrier);
        assertThat(EdiReading.tagged(s, "REF")).extracting(Segment::elements).contains(List.of("CN", tracking));
        assertThat(EdiReading.tagged(s, "LIN").get(0).elements()).containsExactly("", "VP", sku);
        assertThat(EdiReading.tagged(s, "SN1").get(0).elements()).containsExactly("", "2", "EA");
        // b2b invoices on SHIPPED: the 810 follows, matched to the order's lines and totals
        JsonNode order = get("/api/orders/" + orderId, OPS_KEY).body();
        Message inv = receive(orderId, "invoice");
        List<Segment> i = EdiReading.segments(((TextMessage) inv).getText());
        assertThat(EdiReading.tagged(i, "ST").get(0).e(1)).isEqualTo("810");
        assertThat(EdiReading.tagged(i, "BIG").get(0).e(2)).isEqualTo(orderId);
        assertThat(EdiReading.tagged(i, "BIG").get(0).e(4)).isEqualTo(po);
        assertThat(EdiReading.tagged(i, "IT1").get(0).elements()).startsWith("1", "2", "EA", "19.99", "", "VP", sku);
        assertThat(EdiReading.tagged(i, "TDS").get(0).elements()).containsExactly(
                order.at("/totals/grandTotal").decimalValue().movePointRight(2).setScale(0).toPlainString());
        assertThat(Long.parseLong(inv.getStringProperty("controlNumber")))
                .isGreaterThan(Long.parseLong(m.getStringProperty("controlNumber")));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .findValues("status").stream().allMatch(st -> st.asText().equals("SENT")));
        JsonNode docs = get("/api/orders/" + orderId + "/documents", OPS_KEY).body();
        assertThat(docs).extracting(d -> d.get("type").asText() + " " + d.get("status").asText())
                .containsExactlyInAnyOrder("order-response SENT", "ship-notice SENT", "invoice SENT");
        // ops sees a held document (one the read-back refused), and the ship notice once it is unacknowledged
        // beyond b2b's window (PT24H)
        String heldId = "DOC-" + UUID.randomUUID();
        tx.executeWithoutResult(st -> ledger.insert(new OutboundDocument(heldId, UUID.randomUUID().toString(), "order.shipped", "b2b-jms",
                orderId, "invoice", "x12", "ZZ:ACMEBUYER", null, null, null, "text/plain", new byte[0],
                OutboundDocument.HELD, "jms", "segment BIG (position 1) element 2: data element too long", null, 0,
                java.time.Instant.now(), null, null)));
        JsonNode held = get("/api/ops/documents?state=held&limit=1000", OPS_KEY).body();
        assertThat(held).anySatisfy(h -> {
            assertThat(h.get("documentId").asText()).isEqualTo(heldId);
            assertThat(h.get("orderId").asText()).isEqualTo(orderId);
            assertThat(h.get("errors").get(0).asText()).contains("data element too long");
        });
        String notice = m.getStringProperty("documentId");
        assertThat(get("/api/ops/documents?state=unacknowledged&limit=1000", OPS_KEY).text()).doesNotContain(notice);
        jdbc.update("update outbound_documents set sent_at = ? where document_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofHours(25))), notice);
        JsonNode overdue = get("/api/ops/documents?state=unacknowledged&limit=1000", OPS_KEY).body();
        assertThat(overdue).anySatisfy(o -> {
            assertThat(o.get("documentId").asText()).isEqualTo(notice);
            assertThat(o.get("acknowledgementWindow").asText()).isEqualTo("PT24H");
            assertThat(o.get("overdueSince").asText()).isNotBlank();
        });
        assertThat(get("/api/ops/documents?state=lost", OPS_KEY).status()).isEqualTo(422);
        assertThat(get("/api/ops/documents", B2B_JMS_KEY).status()).isEqualTo(403);
    }

    @Autowired
    io.orderhub.payment.PaymentRepository paymentRows;

    @Test
    void aRefundedReturnOfAnX12OrderIsCreditedWithAn810CreditMemo() throws Exception {
        String sku = product(10, 0);
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitX12(po, sku, 2);
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, io.orderhub.order.OrderStatus.PAID, "order.paid", "paid by bank transfer");
        // what the partner paid, as an invoice order's payment: the refund is settled by the credit note
        java.math.BigDecimal paid = get("/api/orders/" + orderId, OPS_KEY).body().at("/totals/grandTotal").decimalValue();
        paymentRows.insert(orderId, io.orderhub.payment.Payment.INVOICE, "invoice", "invoice", 1, "test-paid-" + orderId,
                paid, paid.movePointRight(2).longValueExact(), "EUR", io.orderhub.payment.Payment.SUCCEEDED, po, null);
        awaitStatus(orderId, "ALLOCATED");
        pack(shipmentIn(orderId, "eu-central"));
        awaitEvent(orderId, "order.shipped");

        // one of the two units comes back and is refunded (less the channel's restocking fee, if any)
        Response requested = postJson("/api/orders/" + orderId + "/returns", B2B_JMS_KEY, Map.of("lines",
                List.of(Map.of("lineNo", 1, "quantity", 1, "reason", "damaged")), "resolution", "REFUND"));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        String returnId = requested.body().get("returnId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> "AUTHORIZED".equals(jdbc.queryForObject(
                "select status from returns where return_id = ?", String.class, returnId)));
        Response received = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(received.status()).as(received.toString()).isEqualTo(200);
        assertThat(received.body().get("status").asText()).isEqualTo("REFUNDED");
        java.math.BigDecimal refunded = received.body().at("/refund/amount").decimalValue();
        assertThat(refunded).isPositive().isLessThanOrEqualTo(new java.math.BigDecimal("19.99"));

        // the partner gets the credit memo: an 810 with BIG07 CR for the returned unit and the amount refunded
        Message m = receive(orderId, "credit-note");
        List<Segment> s = EdiReading.segments(((TextMessage) m).getText());
        assertThat(EdiReading.tagged(s, "GS").get(0).e(1)).isEqualTo("IN");
        assertThat(EdiReading.tagged(s, "ST").get(0).e(1)).isEqualTo("810");
        assertThat(EdiReading.tagged(s, "BIG").get(0).elements()).containsExactly(
                EdiReading.tagged(s, "BIG").get(0).e(1), returnId, "20240115", po, "", "", "CR");
        assertThat(EdiReading.tagged(s, "REF")).extracting(Segment::elements).contains(List.of("IV", orderId),
                List.of("RZ", returnId));
        assertThat(EdiReading.tagged(s, "IT1")).extracting(Segment::elements).containsExactly(
                List.of("1", "1", "EA", "19.99", "", "VP", sku));
        assertThat(EdiReading.tagged(s, "TDS").get(0).elements()).containsExactly(
                refunded.movePointRight(2).setScale(0).toPlainString(), "1999");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .findValues("type").stream().anyMatch(t -> t.asText().equals("credit-note")));
        JsonNode credit = null;
        for (JsonNode d : get("/api/orders/" + orderId + "/documents", B2B_JMS_KEY).body()) {
            if ("credit-note".equals(d.get("type").asText())) {
                credit = d;
            }
        }
        assertThat(credit.get("standard").asText()).isEqualTo("x12");
        Response content = get("/api/documents/" + credit.get("documentId").asText() + "/content", B2B_JMS_KEY);
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.text()).contains("*" + returnId + "*", "***CR");
    }

    @Test
    void aBackorderedEdifactOrderIsAnsweredWithAnOrdrspNamingTheShortLine() throws Exception {
        String plenty = product(10, 0);
        String scarce = product(1, 0);
        String ref = "EF-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitEdifact(ref, plenty, 2, scarce, 3);
        awaitEvent(orderId, "order.backordered");

        Message m = receive(orderId, "order-response");
        assertThat(m.getStringProperty("standard")).isEqualTo("edifact");
        List<Segment> s = EdiReading.segments(((TextMessage) m).getText());
        assertThat(EdiReading.tagged(s, "UNB").get(0).e(3)).isEqualTo("4012345000009:14");
        assertThat(EdiReading.tagged(s, "UNH").get(0).elements()).containsExactly(m.getStringProperty("controlNumber"),
                "ORDRSP:D:96A:UN");
        assertThat(EdiReading.tagged(s, "BGM").get(0).elements()).containsExactly("231", orderId, "9", "AC");
        assertThat(EdiReading.tagged(s, "RFF").get(0).e(1)).startsWith("ON:" + ref);
        assertThat(EdiReading.tagged(s, "LIN")).extracting(Segment::elements)
                .containsExactly(List.of("1", "5", plenty + ":SA"), List.of("2", "3", scarce + ":SA"));
        assertThat(EdiReading.tagged(s, "QTY")).extracting(q -> q.e(1))
                .containsExactly("21:2:PCE", "113:2:PCE", "21:3:PCE", "83:3:PCE");
        assertThat(EdiReading.tagged(s, "PRI")).extracting(p -> p.e(1)).containsExactly("AAA:14.5", "AAA:8.2");

        // the partner's CONTRL rejects the message with a segment error: REJECTED with the reason
        String control = m.getStringProperty("controlNumber");
        String contrl = String.join("'\n", "UNA:+.? 'UNB+UNOC:3+4012345000009:14+ORDERHUB:ZZZ+261206:1100+C" + control,
                "UNH+1+CONTRL:D:3:UN", "UCI+" + control + "+ORDERHUB:ZZZ+4012345000009:14+4",
                "UCM+" + control + "+ORDRSP:D:96A:UN+4", "UCS+5+12", "UNT+5+1", "UNZ+1+C" + control) + "'\n";
        Response r = post("/api/channels/b2b-jms/acknowledgements", B2B_JMS_KEY, "application/edifact",
                contrl.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("matched").asInt()).isEqualTo(1);
        JsonNode rejected = get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0);
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("reason").asText()).isEqualTo("UCM action 4: segment 5 (error 12)");
    }

    @Test
    void controlNumbersOfAPartnerIncreaseAndAreNeverGivenTwiceAcrossConcurrentTransactions() throws Exception {
        String partner = "ZZ:RACE-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> takers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                takers.add(() -> tx.execute(s -> ledger.nextControlNumber(partner, "x12")));
            }
            List<Long> numbers = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(takers)) {
                numbers.add(f.get());
            }
            Collections.sort(numbers);
            assertThat(numbers).doesNotHaveDuplicates().hasSize(40);
            assertThat(numbers.get(0)).isEqualTo(1L);
            assertThat(numbers.get(39)).isEqualTo(40L);
            // another standard of the same partner counts on its own
            Long edifact = tx.execute(s -> ledger.nextControlNumber(partner, "edifact"));
            assertThat(edifact).isEqualTo(1L);
            // a number taken in a transaction that rolls back is given again, as its document was never recorded
            tx.executeWithoutResult(s -> {
                ledger.nextControlNumber(partner, "x12");
                s.setRollbackOnly();
            });
            Long next = tx.execute(s -> ledger.nextControlNumber(partner, "x12"));
            assertThat(next).isEqualTo(41L);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers

    private String submitX12(String po, String sku, int quantity) {
        String body = String.join("~\n",
                "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *240115*0930*U*00401*000000101*0*P*>",
                "GS*PO*ACMEBUYER*ORDERHUB*20240115*0930*101*X*004010",
                "ST*850*0001",
                "BEG*00*SA*" + po + "**20240115",
                "CUR*BY*EUR",
                "N1*BY*Acme Stores Inc*92*ACME01",
                "N1*ST*Acme Store 12*92*STORE12",
                "N3*100 Main Street",
                "N4*Berlin**10115*DE",
                "PO1*1*" + quantity + "*EA*19.99**VP*" + sku,
                "CTT*1",
                "SE*10*0001",
                "GE*1*101",
                "IEA*1*000000101") + "~\n";
        return submitted(post("/api/channels/b2b-jms/orders", B2B_JMS_KEY, "application/edi-x12", body.getBytes(StandardCharsets.UTF_8)));
    }

    private String submitEdifact(String ref, String sku1, int q1, String sku2, int q2) {
        String body = String.join("'\n",
                "UNA:+.? 'UNB+UNOC:3+4012345000009:14+5412345000013:14+240301:1200+" + ref.substring(3),
                "UNH+M1+ORDERS:D:96A:UN:EAN008",
                "BGM+220+" + ref + "+9",
                "DTM+137:20240301:102",
                "CUX+2:EUR:9",
                "NAD+BY+4012345000009::9++Mueller Handel GmbH+Hauptstrasse 5+Berlin++10115+DE",
                "NAD+DP+4012345000016::9++Mueller Lager Nord+Industrieweg 12+Hamburg++20095+DE",
                "LIN+1++" + sku1 + ":SA",
                "QTY+21:" + q1 + ":PCE",
                "PRI+AAA:14.50",
                "LIN+2++" + sku2 + ":SA",
                "QTY+21:" + q2 + ":PCE",
                "PRI+AAA:8.20",
                "UNS+S",
                "UNT+14+M1",
                "UNZ+1+" + ref.substring(3)) + "'\n";
        return submitted(post("/api/channels/b2b-jms/orders", B2B_JMS_KEY, "application/edifact", body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String submitted(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    private void awaitEvent(String orderId, String type) {
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains(type));
    }

    private JmsTemplate jms(long timeoutMs) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(timeoutMs);
        return jms;
    }

    /**
     * The order's document of this type from orders.outbound, waiting up to 60 s. The queue is read in order without a
     * selector and the other documents are taken off it: nobody else reads it in the suite, so every b2b order of
     * every test leaves its documents there, and once the address pages the broker no longer shows the newest
     * messages to a selector.
     */
    private Message receive(String orderId, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // one consumer for the whole search: the full suite leaves thousands of documents before this one, and a
        // consumer per message (a JmsTemplate receive) took longer than the wait to get through them on a slow machine
        // the connection factory is the hub's caching one: the session and the consumer are closed here (an open
        // consumer would keep the messages the broker pushed to it from the next search)
        try (jakarta.jms.Connection c = connectionFactory.createConnection();
             jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
             jakarta.jms.MessageConsumer consumer = session.createConsumer(session.createQueue("orders.outbound"))) {
            c.start();
            int read = 0;
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            while (System.nanoTime() < deadline) {
                Message next = consumer.receive(1000);
                if (next != null) {
                    read++;
                    if (orderId.equals(next.getStringProperty("orderId")) && type.equals(next.getStringProperty("documentType"))) {
                        return next;
                    }
                    if (seen.size() < 20) {
                        seen.add(next.getStringProperty("orderId") + "/" + next.getStringProperty("documentType"));
                    }
                }
            }
            consumer.close();
            int left;
            try (jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue("orders.outbound"))) {
                left = java.util.Collections.list(browser.getEnumeration()).size();
            }
            throw new AssertionError("no " + type + " of " + orderId + " on orders.outbound within 60 s: read " + read
                    + " other documents " + seen + ", " + left + " left on the queue; the order's documents: "
                    + get("/api/orders/" + orderId + "/documents", OPS_KEY).body());
        }
    }

    /** A document of the order waiting on orders.outbound now, or null; the queue's other documents are taken off. */
    private Message receiveNow(String orderId) throws Exception {
        JmsTemplate jms = jms(500);
        for (Message next = jms.receive("orders.outbound"); next != null; next = jms.receive("orders.outbound")) {
            if (orderId.equals(next.getStringProperty("orderId"))) {
                return next;
            }
        }
        return null;
    }

    /** True when no event of the order waits on or is being handled from the partner documents' subscription. */
    private boolean drained(String orderId) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        Integer waiting = jms.browseSelected(OUTBOUND_SUBSCRIPTION, "orderId = '" + orderId + "'",
                (session, browser) -> Collections.list(browser.getEnumeration()).size());
        boolean inflight = camel.getInflightRepository().browse("sendPartnerDocuments").stream()
                .anyMatch(x -> String.valueOf(x.getExchange().getMessage().getBody(String.class)).contains(orderId)
                        || x.getExchange().getProperty(io.orderhub.outbound.camel.OutboundAdapter.DOCUMENT) != null);
        return waiting != null && waiting == 0 && !inflight;
    }

    /** Puts the order's stored event on the partner documents' subscription again, signed as the relay signs. */
    private void republish(String orderId, String type) {
        String event = outboxPayload(orderId, type);
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(true);
        jms.send(OUTBOUND_SUBSCRIPTION, session -> {
            var m = session.createTextMessage(event);
            m.setStringProperty("JMSXGroupID", orderId);
            m.setStringProperty("eventType", type);
            m.setStringProperty("orderId", orderId);
            m.setStringProperty(EventSignatures.PROPERTY, signatures.sign(type, orderId, event));
            return m;
        });
    }

}
