package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 25, "numbers as weapons" and "ambiguous input": numbers with huge exponents or digit counts are
 * refused before any arithmetic, naming the field, on every intake path (canonical REST, the channel
 * endpoint, the preview, JMS, e-mail), never a 500, with a short answer and a decided receipt; a document says one
 * thing (no repeated keys); look-alike ids are one id or refused; NUL and bidi controls, non-payable
 * currencies and absurd dates are refused.
 */
class InputBoundsTest extends HubTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    io.orderhub.sandbox.SandboxMailServer mailServer;

    /** The example order as JSON text with its first quantity written as given. */
    private String withQuantity(String quantity) {
        String text = order().toString();
        assertThat(text).contains("\"quantity\":2");
        return text.replaceFirst("\"quantity\":2", "\"quantity\":" + quantity);
    }

    @Test
    void hugeExponentsAreRefusedNamingTheFieldWithAShortAnswerAndADecidedReceipt() {
        for (String number : new String[] {"1e10000000", "1e999999999", "1E+999999999", "-1e-999999999", "1e000000000000000000000000000000000000000100",
                "1" + "0".repeat(900), "0." + "0".repeat(500) + "1"}) {
            Response r = post("/api/orders", WEBSHOP_KEY, "application/json", withQuantity(number).getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(number + ": " + cut(r.text())).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/quantity");
            assertThat(r.body().at("/errors/0/message").asText()).containsPattern("digits|exponent");
            assertThat(r.bytes().length).as("answer size").isLessThan(2_000);
            Map<String, Object> receipt = jdbc.queryForMap("select status, errors from receipts where receipt_id = ?",
                    r.header("X-Receipt-Id"));
            assertThat(receipt.get("status")).isEqualTo("REJECTED");
            assertThat(String.valueOf(receipt.get("errors"))).contains("/lines/0/quantity").hasSizeLessThan(2_000);
        }
    }

    @Test
    void theChannelEndpointAndThePreviewRefuseThemToo() {
        byte[] body = withQuantity("1e999999999").getBytes(StandardCharsets.UTF_8);
        Response channel = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/json", body);
        assertThat(channel.status()).as(cut(channel.text())).isEqualTo(422);
        assertThat(channel.body().get("errors").findValuesAsText("field")).contains("/lines/0/quantity");
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                channel.header("X-Receipt-Id"))).isEqualTo("REJECTED");

        Response preview = post("/api/mappings/preview?channel=webshop", OPS_KEY, "application/json", body);
        assertThat(preview.status()).as(cut(preview.text())).isLessThan(500);
        assertThat(preview.text()).contains("/lines/0/quantity").hasSizeLessThan(4_000);
    }

    @Test
    void aMappedFormatIsBoundedAsWellAfterItsMapping() {
        // a quantity within the document's bound but too large for an order: the canonical validation refuses it
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json",
                withQuantity("1e30").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/quantity");
        assertThat(r.body().at("/errors/0/message").asText()).contains("too large");
    }

    @Test
    void jmsOrdersWithHugeNumbersAreRejectedAndAnswered() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            connection.start();
            TextMessage m = session.createTextMessage(withQuantity("1e999999999"));
            m.setStringProperty("channel", "webshop");
            m.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("orders.inbound")).send(m);
            Message reply = answers.receive(20_000);
            assertThat(reply).as("answer").isNotNull();
            JsonNode answer = json.readTree(((TextMessage) reply).getText());
            assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
            assertThat(answer.get("errors").findValuesAsText("field")).anyMatch(f -> f.contains("/lines/0/quantity"));
            assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                    answer.get("receiptId").asText())).isEqualTo("REJECTED");
        }
    }

    @Test
    void mailedOrdersWithHugeNumbersAreRejectedOnTheirReceipt() throws Exception {
        String sender = "buyer-" + java.util.UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        String messageId = "<" + java.util.UUID.randomUUID() + "@test.example>";
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                new io.orderhub.support.SandboxMailbox(mailServer).session()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new jakarta.mail.internet.InternetAddress(sender));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, "orders@orderhub.local");
        m.setSubject("PO huge");
        jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                withQuantity("1e10000000").getBytes(StandardCharsets.UTF_8), "application/json")));
        part.setFileName("order.json");
        part.setDisposition(jakarta.mail.internet.MimeBodyPart.ATTACHMENT);
        jakarta.mail.internet.MimeMultipart multipart = new jakarta.mail.internet.MimeMultipart();
        multipart.addBodyPart(part);
        m.setContent(multipart);
        jakarta.mail.Transport.send(m);

        String receiptId = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.queryForList("select receipt_ids from mail_messages where message_id = ?", String.class, messageId)
                        .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null), java.util.Objects::nonNull);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> receipt = jdbc.queryForMap("select status, errors from receipts where receipt_id = ?",
                    receiptId.split(",")[0]);
            assertThat(receipt.get("status")).isEqualTo("REJECTED");
            assertThat(String.valueOf(receipt.get("errors"))).contains("/lines/0/quantity").hasSizeLessThan(2_000);
        });
    }

    @Test
    void aRepeatedKeyIs400NamingTheKeyAndItsPointer() {
        String text = order().toString();
        String twice = text.replaceFirst("\"name\":\"Erika Mustermann\"", "\"name\":\"Erika Mustermann\",\"name\":\"Mallory\"");
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", twice.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/customer/name");
        assertThat(r.body().at("/errors/0/message").asText()).contains("'name'");
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                r.header("X-Receipt-Id"))).isEqualTo("REJECTED");

        String externalIdTwice = "{\"externalId\":\"A-1\"," + text.substring(1);
        Response top = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/json",
                externalIdTwice.getBytes(StandardCharsets.UTF_8));
        assertThat(top.status()).as(top.toString()).isIn(400, 422);
        assertThat(top.body().get("errors").findValuesAsText("field")).contains("/externalId");
    }

    @Test
    void idsThatLookAlikeAreOneOrderOrRefused() {
        ObjectNode composed = order();
        String base = composed.get("externalId").asText();
        composed.put("externalId", base + "-CAF\u00c9");
        Response first = postJson("/api/orders", WEBSHOP_KEY, composed);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String orderId = first.body().get("orderId").asText();

        // decomposed é and a trailing space: the same id, so the same order (200), not a second one
        for (String same : new String[] {base + "-CAFE\u0301", base + "-CAF\u00c9 ", " " + base + "-CAF\u00c9\t"}) {
            ObjectNode again = composed.deepCopy();
            again.put("externalId", same);
            Response r = postJson("/api/orders", WEBSHOP_KEY, again);
            assertThat(r.status()).as(same + ": " + r).isEqualTo(200);
            assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        }
        assertThat(first.body().get("externalId").asText()).isEqualTo(base + "-CAF\u00c9");
        String query = java.net.URLEncoder.encode(" " + base + "-CAFE\u0301 ", StandardCharsets.UTF_8);
        assertThat(get("/api/orders?externalId=" + query, WEBSHOP_KEY).body().get("items").findValuesAsText("orderId"))
                .containsExactly(orderId);

        // invisible, full-width and Cyrillic look-alikes are refused, naming the field
        Map<String, String> refused = Map.of(
                base + "-\u0410BC", "Cyrillic",                    // Cyrillic А mixed with Latin
                "\u0410\u0412\u0421-1001", "Latin ones",           // all-Cyrillic АВС reads as ABC
                base + "-\uff21\uff22", "compatibility",           // full-width ＡＢ
                base + "-A\u200bB", "invisible",                   // zero-width space
                base + "-A\u202eB", "bidirectional",               // right-to-left override
                base + "-A\u00a0B", "space");                       // no-break space
        refused.forEach((id, why) -> {
            ObjectNode o = order();
            o.put("externalId", id);
            Response r = postJson("/api/orders", WEBSHOP_KEY, o);
            assertThat(r.status()).as(id + ": " + r).isEqualTo(422);
            assertThat(r.body().get("errors").findValuesAsText("field")).contains("/externalId");
            assertThat(r.body().get("errors").toString()).contains(why);
        });

        ObjectNode sku = order();
        ((ObjectNode) sku.withArray("lines").get(0)).put("sku", "MUG-BLUE\u200d");
        Response r = postJson("/api/orders", WEBSHOP_KEY, sku);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.body().get("errors").findValuesAsText("field")).contains("/lines/0/sku");
    }

    @Test
    void nulAndBidiControlsInNamesAndAddressesAreRefused() {
        Map<String, String> cases = Map.of("/customer/name", "Erika\u0000Mustermann", "/shipTo/line1", "Heidestra\u202e17 eßa",
                "/billTo/city", "K\u2066\u00f6ln");
        cases.forEach((pointer, value) -> {
            ObjectNode o = order();
            String[] path = pointer.substring(1).split("/");
            o.with(path[0]).put(path[1], value);
            Response r = postJson("/api/orders", WEBSHOP_KEY, o);
            assertThat(r.status()).as(pointer + ": " + r).isEqualTo(422);
            assertThat(r.body().get("errors").findValuesAsText("field")).contains(pointer);
        });
    }

    @Test
    void onlyPayableCurrenciesAreAccepted() {
        for (String code : new String[] {"XXX", "XTS", "XAU", "XDR", "USN", "CHE"}) {
            ObjectNode o = order();
            o.put("currency", code);
            Response r = postJson("/api/orders", WEBSHOP_KEY, o);
            assertThat(r.status()).as(code + ": " + r).isEqualTo(422);
            assertThat(r.body().get("errors").findValuesAsText("field")).contains("/currency");
        }
        ObjectNode cfa = order();
        cfa.put("currency", "XOF");
        assertThat(postJson("/api/orders", WEBSHOP_KEY, cfa).status()).isEqualTo(201);
    }

    @Test
    void orderDatesMustBePlausible() {
        for (String date : new String[] {"+999999999-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                java.time.OffsetDateTime.now().plusYears(2).toString()}) {
            ObjectNode o = order();
            o.put("orderDate", date);
            Response r = postJson("/api/orders", WEBSHOP_KEY, o);
            assertThat(r.status()).as(date + ": " + r).isEqualTo(422);
            assertThat(r.body().get("errors").findValuesAsText("field")).contains("/orderDate");
        }
    }

    private static String cut(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
