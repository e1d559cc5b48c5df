package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.shipping.ShippingTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The partner documents' events: an X12 855 that becomes SENT is told once as document.sent (outbox, published on
 * orders.events, and the order's timeline); the partner's 997 rejecting it tells document.rejected with the reason;
 * a second 997 for the same document changes nothing and tells nothing.
 */
class DocumentEventsFlowTest extends ShippingTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    jakarta.jms.ConnectionFactory connectionFactory;
    @org.springframework.beans.factory.annotation.Autowired
    io.orderhub.sandbox.SandboxMailServer mailServer;

    @Test
    void aPartners997ByJmsAcknowledgesTheDocument() throws Exception {
        String orderId = submitX12("PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), product(10, 0), 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("document.sent"));
        JsonNode doc = get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0);
        long control = doc.get("controlNumber").asLong();
        String ack = String.join("~\n",
                "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *261206*1100*U*00401*000000779*0*P*>",
                "GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*779*X*004010",
                "ST*997*0001", "AK1*PR*" + control, "AK2*855*" + String.format("%04d", control), "AK5*A", "AK9*A*1*1*1",
                "SE*6*0001", "GE*1*779", "IEA*1*000000779") + "~\n";
        org.springframework.jms.core.JmsTemplate jms = new org.springframework.jms.core.JmsTemplate(connectionFactory);
        jms.send("orders.inbound", session -> {
            var m = session.createTextMessage(ack);
            m.setStringProperty("channel", "b2b");
            m.setStringProperty("orderId", orderId);
            return m;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .get(0).get("status").asText().equals("ACKNOWLEDGED"));
        assertThat(readJson(outboxPayload(orderId, "document.acknowledged")).at("/data/documentId").asText())
                .isEqualTo(doc.get("documentId").asText());
        assertThat(timeline(orderId)).containsSubsequence("document.sent", "document.acknowledged");
        // its receipt: ACCEPTED as an acknowledgement naming the document, no order made of it
        assertThat(jdbc.queryForObject("select via || ' ' || channel || ' ' || status || ' ' || format || ' ' || document_id"
                + " from receipts where document_id = ?", String.class, doc.get("documentId").asText()))
                .isEqualTo("jms b2b ACCEPTED x12-997 " + doc.get("documentId").asText());
        assertThat(jdbc.queryForObject("select order_ids from receipts where document_id = ?", String.class,
                doc.get("documentId").asText())).isNull();
    }

    @Test
    void aPartnersContrlByMailRejectsTheDocumentWithTheReason() throws Exception {
        String orderId = submitEdifact("EF-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), product(10, 0), 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("document.sent"));
        JsonNode doc = get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0);
        String control = doc.get("controlNumber").asText();
        String contrl = String.join("'\n", "UNA:+.? 'UNB+UNOC:3+4012345000009:14+ORDERHUB:ZZZ+261206:1100+C" + control,
                "UNH+1+CONTRL:D:3:UN", "UCI+" + control + "+ORDERHUB:ZZZ+4012345000009:14+4",
                "UCM+" + control + "+ORDRSP:D:96A:UN+4", "UCS+5+12", "UNT+5+1", "UNZ+1+C" + control) + "'\n";
        String from = "edi-" + UUID.randomUUID().toString().substring(0, 8) + "@b2b.example";
        jakarta.mail.Session session = new io.orderhub.support.SandboxMailbox(mailServer).session();
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(session);
        m.setFrom(new jakarta.mail.internet.InternetAddress(from));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress("orders@orderhub.local"));
        m.setSubject("CONTRL " + control);
        jakarta.mail.internet.MimeMultipart multi = new jakarta.mail.internet.MimeMultipart();
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText("Our CONTRL is attached.", "UTF-8");
        multi.addBodyPart(text);
        jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
        file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                contrl.getBytes(StandardCharsets.ISO_8859_1), "application/edifact")));
        file.setFileName("contrl.edi");
        file.setDisposition(jakarta.mail.Part.ATTACHMENT);
        multi.addBodyPart(file);
        m.setContent(multi);
        // b2b authenticates its senders: the header of the suite's trusted mail server (MailSenderAuthenticationTest)
        m.addHeader("Authentication-Results", "mx.orderhub.test; dkim=pass header.d=b2b.example;"
                + " dmarc=pass header.from=b2b.example");
        m.saveChanges();
        jakarta.mail.Transport.send(m);

        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .get(0).get("status").asText().equals("REJECTED"));
        assertThat(get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0).get("reason").asText())
                .isEqualTo("UCM action 4: segment 5 (error 12)");
        assertThat(readJson(outboxPayload(orderId, "document.rejected")).at("/data/reason").asText())
                .isEqualTo("UCM action 4: segment 5 (error 12)");
        assertThat(jdbc.queryForObject("select via || ' ' || status || ' ' || format from receipts where document_id = ?",
                String.class, doc.get("documentId").asText())).isEqualTo("email ACCEPTED edifact-contrl");
        // the sender's answer says the CONTRL was received, and attaches no acknowledgement of it
        io.orderhub.support.SandboxMailbox mailbox = new io.orderhub.support.SandboxMailbox(mailServer);
        jakarta.mail.internet.MimeMessage answer = await().atMost(Duration.ofSeconds(30))
                .until(() -> mailbox.messagesFor(from), list -> !list.isEmpty()).get(0);
        Object content = answer.getContent();
        String said = content instanceof jakarta.mail.Multipart parts ? (String) parts.getBodyPart(0).getContent()
                : (String) content;
        assertThat(said).contains("contrl.edi: received (it holds no order)");
        assertThat(content instanceof jakarta.mail.Multipart parts ? parts.getCount() : 1).isEqualTo(1);
    }

    @Test
    void aPartnersUblApplicationResponseByMailAcknowledgesTheOrderResponseWithItsNote() throws Exception {
        String po = "PO-UBL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/xml",
                UblPartnerDocumentsFlowTest.sample(po, product(30, 0), product(20, 0)).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String orderId = r.body().get("orderId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("document.sent"));
        JsonNode doc = get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0);
        assertThat(doc.get("standard").asText()).isEqualTo("ubl");
        // the OrderResponse's UBL ID is <orderId>-<control number>; "conditionally accepted" with the buyer's note
        String answer = UblPartnerDocumentsFlowTest.applicationResponse(UblPartnerDocumentsFlowTest.MLR,
                orderId + "-" + doc.get("controlNumber").asLong(), "231", "CA",
                "<cbc:Description>Delivery date to be agreed</cbc:Description>");
        String from = "edi-" + UUID.randomUUID().toString().substring(0, 8) + "@b2b.example";
        jakarta.mail.Session session = new io.orderhub.support.SandboxMailbox(mailServer).session();
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(session);
        m.setFrom(new jakarta.mail.internet.InternetAddress(from));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress("orders@orderhub.local"));
        m.setSubject("ApplicationResponse for " + orderId);
        jakarta.mail.internet.MimeMultipart multi = new jakarta.mail.internet.MimeMultipart();
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText("Our answer is attached.", "UTF-8");
        multi.addBodyPart(text);
        jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
        file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                answer.getBytes(StandardCharsets.UTF_8), "application/xml")));
        file.setFileName("application-response.xml");
        file.setDisposition(jakarta.mail.Part.ATTACHMENT);
        multi.addBodyPart(file);
        m.setContent(multi);
        m.addHeader("Authentication-Results", "mx.orderhub.test; dkim=pass header.d=b2b.example;"
                + " dmarc=pass header.from=b2b.example");
        m.saveChanges();
        jakarta.mail.Transport.send(m);

        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/orders/" + orderId + "/documents", OPS_KEY).body()
                .get(0).get("status").asText().equals("ACKNOWLEDGED"));
        assertThat(get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0).get("reason").asText())
                .isEqualTo("ApplicationResponse CA: Delivery date to be agreed");
        assertThat(timeline(orderId)).containsSubsequence("document.sent", "document.acknowledged");
        assertThat(jdbc.queryForObject("select via || ' ' || status || ' ' || format from receipts where document_id = ?",
                String.class, doc.get("documentId").asText())).isEqualTo("email ACCEPTED ubl-application-response");
    }

    @Test
    void aSentDocumentAndItsRejectionAreEventsOfTheOrder() throws Exception {
        String sku = product(10, 0);
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String orderId = submitX12(po, sku, 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> timeline(orderId).contains("document.sent"));

        JsonNode doc = get("/api/orders/" + orderId + "/documents", OPS_KEY).body().get(0);
        String documentId = doc.get("documentId").asText();
        JsonNode sent = readJson(outboxPayload(orderId, "document.sent"));
        assertThat(sent.at("/data/documentId").asText()).isEqualTo(documentId);
        assertThat(sent.at("/data/documentType").asText()).isEqualTo("order-response");
        assertThat(sent.at("/data/standard").asText()).isEqualTo("x12");
        assertThat(sent.at("/data/controlNumber").asLong()).isEqualTo(doc.get("controlNumber").asLong());
        assertThat(sent.at("/data/channel").asText()).isEqualTo("b2b");
        // b2b mails its documents to its EDI desk (mappings/channels.yaml)
        assertThat(sent.at("/data/transport").asText()).isEqualTo("mail");
        assertThat(sent.get("orderId").asText()).isEqualTo(orderId);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where order_id = ? and type = 'document.sent' and published_at is not null",
                Integer.class, orderId) == 1);

        long control = doc.get("controlNumber").asLong();
        String set = String.format("%04d", control % 1_000_000_000L);
        String ack = String.join("~\n",
                "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *261206*1100*U*00401*000000778*0*P*>",
                "GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*778*X*004010",
                "ST*997*0001", "AK1*PR*" + control, "AK2*855*" + set, "AK3*PO1*3**8", "AK5*R*5", "AK9*R*1*1*0", "SE*7*0001",
                "GE*1*778", "IEA*1*000000778") + "~\n";
        Response r = post("/api/channels/b2b/acknowledgements", B2B_KEY, "application/edi-x12",
                ack.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("matched").asInt()).isEqualTo(1);
        JsonNode rejected = readJson(outboxPayload(orderId, "document.rejected"));
        assertThat(rejected.at("/data/documentId").asText()).isEqualTo(documentId);
        assertThat(rejected.at("/data/reason").asText()).isEqualTo("AK5 R (codes 5): segment PO1 at 3 (code 8)");
        List<String> timeline = timeline(orderId);
        assertThat(timeline).containsSubsequence("order.confirmed", "document.sent", "document.rejected");
        JsonNode event = timelineEvent(orderId, "document.rejected");
        assertThat(event.get("detail").asText()).contains(documentId).contains("AK5 R (codes 5)");

        // the same 997 again: the document stays REJECTED, nothing more is told
        assertThat(post("/api/channels/b2b/acknowledgements", B2B_KEY, "application/edi-x12",
                ack.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(outboxPayloads(orderId, "document.rejected")).hasSize(1);
        assertThat(timeline(orderId).stream().filter("document.rejected"::equals).count()).isEqualTo(1);
        assertThat(outboxPayloads(orderId, "document.acknowledged")).isEmpty();
        assertThat(outboxPayloads(orderId, "document.sent")).hasSize(1);
        // the journey shows the document with its status and reason, and the events in its timeline
        JsonNode journey = get("/api/orders/" + orderId + "/journey", OPS_KEY).body();
        assertThat(journey.get("partnerDocuments")).singleElement().satisfies(d -> {
            assertThat(d.get("documentId").asText()).isEqualTo(documentId);
            assertThat(d.get("status").asText()).isEqualTo("REJECTED");
            assertThat(d.get("reason").asText()).isEqualTo("AK5 R (codes 5): segment PO1 at 3 (code 8)");
            assertThat(d.get("controlNumber").asLong()).isEqualTo(control);
        });
        assertThat(journey.get("events").findValuesAsText("type")).contains("document.sent", "document.rejected");
    }

    private String submitEdifact(String ref, String sku, int quantity) {
        String body = String.join("'\n",
                "UNA:+.? 'UNB+UNOC:3+4012345000009:14+5412345000013:14+240301:1200+" + ref.substring(3),
                "UNH+M1+ORDERS:D:96A:UN:EAN008",
                "BGM+220+" + ref + "+9",
                "DTM+137:20240301:102",
                "CUX+2:EUR:9",
                "NAD+BY+4012345000009::9++Mueller Handel GmbH+Hauptstrasse 5+Berlin++10115+DE",
                "NAD+DP+4012345000016::9++Mueller Lager Nord+Industrieweg 12+Hamburg++20095+DE",
                "LIN+1++" + sku + ":SA",
                "QTY+21:" + quantity + ":PCE",
                "PRI+AAA:14.50",
                "UNS+S",
                "UNT+11+M1",
                "UNZ+1+" + ref.substring(3)) + "'\n";
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edifact", body.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

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
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    private static JsonNode readJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
