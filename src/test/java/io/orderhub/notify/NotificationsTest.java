package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.OrderStatus;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.shipping.ShippingTestSupport;
import io.orderhub.notify.camel.NotificationAdapter;
import jakarta.jms.ConnectionFactory;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.InflightRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jms.core.JmsTemplate;

/**
 * Customer and sender notifications against the suite's sandbox mail server (GreenMail, real SMTP and
 * IMAP): the story of an order in English and Simplified Chinese, one mail per event also when the event
 * is delivered twice, an SMTP outage that dead-letters a mail which a replay then delivers, rejected REST
 * documents told to the channel's address, and a channel that opted out.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationsTest extends ShippingTestSupport {

    private static final String NOTIFY_QUEUE = "orders.events::notify.customer";

    @Autowired
    private io.orderhub.security.EventSignatures signatures;
    @Autowired
    SandboxMailServer mailServer;
    @Autowired
    io.orderhub.crypto.DataCipher cipher;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    NotificationTemplates templates;
    @Autowired
    CamelContext camel;

    @Test
    void theWholeStoryOfAnOrderReachesTheCustomersMailbox(CapturedOutput output) throws Exception {
        String email = customer();
        String sku = product(5, 0);
        ObjectNode order = orderFor(sku, 2, "standard", "51147");
        ((ObjectNode) order.get("customer")).put("email", email).put("name", "Erika Mustermann");
        String orderId = allocated(order);
        pack(shipmentIn(orderId, "eu-central"));
        awaitStatus(orderId, "COMPLETED");

        List<MimeMessage> mails = awaitMails(email, 4);
        assertThat(subjects(mails)).containsExactly("Your order " + orderId + " is confirmed",
                "Payment received for order " + orderId, "Your order " + orderId + " is on its way",
                "Your order " + orderId + " has been delivered");
        for (MimeMessage m : mails) {
            assertThat(m.getContentType()).startsWith("multipart/alternative");
            assertThat(addresses(m.getFrom())).containsExactly("shop@webshop.example");
            assertThat(addresses(m.getReplyTo())).containsExactly("support@webshop.example");
            assertThat(addresses(m.getRecipients(Message.RecipientType.TO))).containsExactly(email);
        }
        String confirmation = text(mails.get(0));
        assertThat(confirmation).contains("Hello Erika Mustermann", "Order number:    " + orderId,
                "Your reference:  " + order.get("externalId").asText(), "Status:          CONFIRMED",
                "- 2 x " + sku + " at 10.00 EUR: 20.00 EUR", "Total:     20.00 EUR");
        assertThat(html(mails.get(0))).contains("<td align=\"right\" style=\"padding:4px;border-bottom:1px solid #eee\">2</td>",
                "<strong>20.00 EUR</strong>", orderId);
        assertThat(text(mails.get(1))).contains("Order number:  " + orderId, "Amount:        20.00 EUR", "Paid on:       20");
        String tracking = jdbc.queryForObject("select tracking_number from shipments where order_id = ?", String.class, orderId);
        assertThat(text(mails.get(2))).contains("SandboxPost Ground", "Tracking number: " + tracking,
                "Track it: http://localhost:" + port + "/sandbox/carrier/track/" + tracking, "Status: SHIPPED");
        assertThat(html(mails.get(2))).contains("href=\"http://localhost:" + port + "/sandbox/carrier/track/" + tracking + "\"");
        assertThat(text(mails.get(3))).contains("the carrier reports your order " + orderId + " delivered");
        // the tracking link works: the sandbox carrier's public page knows the parcel
        // a small HTML page for the person who clicks it, JSON for a program that asks for it
        java.net.http.HttpResponse<String> page = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/sandbox/carrier/track/" + tracking)).header("Accept", "text/html").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<strong id=\"status\">delivered</strong>")
                .contains("Out for delivery").contains(tracking);
        java.net.http.HttpResponse<String> data = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/sandbox/carrier/track/" + tracking)).header("Accept", "application/json").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(json.readTree(data.body()).get("status").asText()).isEqualTo("delivered");

        // the README's way in: IMAP login with the address as user name and password
        assertThat(imapSubjects(email)).hasSize(4).contains("Your order " + orderId + " has been delivered");
        assertThat(jdbc.queryForList("select status from notifications where order_id = ?", String.class, orderId))
                .hasSize(4).containsOnly("SENT");
        // the log tells which mail went to whom, the customer's address masked
        String masked = email.charAt(0) + "***@example.com";
        assertThat(output.getAll()).contains("notification order.delivered of order " + orderId + " (en) sent to the customer "
                + masked).doesNotContain(email);
    }

    @Test
    void aCustomerInChinaReadsSimplifiedChinese() throws Exception {
        String email = customer();
        String sku = product(5, 0);
        ObjectNode order = orderFor(sku, 1, "standard", "200000");
        ((ObjectNode) order.get("shipTo")).put("country", "CN").put("city", "上海");
        ((ObjectNode) order.get("customer")).put("email", email).put("name", "王小明");
        String orderId = allocated(order);
        Response cancel = postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, Map.of("reason", "顾客改变主意"));
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);

        List<MimeMessage> mails = awaitMails(email, 3);
        assertThat(subjects(mails)).containsExactly("您的订单 " + orderId + " 已确认", "订单 " + orderId + " 付款成功",
                "您的订单 " + orderId + " 已取消");
        assertThat(text(mails.get(0))).contains("王小明，您好", "订单号：    " + orderId, "订单状态：  已确认",
                "- " + sku + " × 1，单价 10.00 EUR，小计 10.00 EUR", "应付总额：  10.00 EUR");
        assertThat(html(mails.get(0))).contains("<html lang=\"zh-CN\">", "商品合计");
        assertThat(text(mails.get(1))).contains("付款金额：  10.00 EUR");
        assertThat(text(mails.get(2))).contains("取消原因：顾客改变主意", "无需退款");
        assertThat(html(mails.get(2))).contains("顾客改变主意");
        assertThat(jdbc.queryForList("select locale from notifications where order_id = ?", String.class, orderId))
                .hasSize(3).containsOnly("zh-CN");
    }

    @Test
    void shippingAndRefundsReadWellInBothLanguages() throws Exception {
        String en = customer();
        String zh = customer();
        Map<String, Object> shipment = Map.of("shipmentId", "SHP-X", "warehouse", "eu-central", "carrier", "UPS",
                "service", "Ground", "trackingNumber", "1Z999AA10123456784");
        Map<String, Object> refund = Map.of("amount", new BigDecimal("51.19"), "currency", "EUR", "method", "card");
        String shippedEn = event("order.shipped", "SHIPPED", orderJson(en, "DE"), Map.of("shipments", List.of(shipment)));
        String cancelledEn = event("order.cancelled", "CANCELLED", orderJson(en, "DE"),
                Map.of("reason", "out of stock", "refund", refund));
        String shippedZh = event("order.shipped", "SHIPPED", orderJson(zh, "CN"), Map.of("shipments", List.of(shipment)));
        String cancelledZh = event("order.cancelled", "CANCELLED", orderJson(zh, "CN"),
                Map.of("reason", "缺货", "refund", refund));
        for (String e : List.of(shippedEn, cancelledEn, shippedZh, cancelledZh)) {
            publish(e);
        }
        List<MimeMessage> english = awaitMails(en, 2);
        assertThat(text(mail(english, "on its way"))).contains("UPS Ground", "Tracking number: 1Z999AA10123456784",
                "Track it: https://www.ups.com/track?tracknum=1Z999AA10123456784");
        assertThat(text(mail(english, "cancelled"))).contains("Reason: out of stock",
                "Refund: 51.19 EUR goes back to your card");
        List<MimeMessage> chinese = awaitMails(zh, 2);
        assertThat(text(mail(chinese, "已发货"))).contains("包裹 1：UPS Ground", "运单号：1Z999AA10123456784",
                "物流查询：https://www.ups.com/track?tracknum=1Z999AA10123456784");
        assertThat(text(mail(chinese, "已取消"))).contains("取消原因：缺货", "退款：51.19 EUR 将退回您的银行卡");
        assertThat(html(mail(chinese, "已取消"))).contains("51.19 EUR 退回您的银行卡");
    }

    @Test
    void aRedeliveredEventSendsOneMail() throws Exception {
        String email = customer();
        String confirmed = event("order.confirmed", "CONFIRMED", orderJson(email, "DE"), Map.of());
        publish(confirmed);
        publish(confirmed);
        awaitMails(email, 1);
        // a later event of the same customer: once it is mailed, the duplicate before it was handled too
        publish(event("order.delivered", "DELIVERED", orderJson(email, "DE"), Map.of()));
        List<MimeMessage> mails = awaitMails(email, 2);
        assertThat(subjects(mails)).hasSize(2).anyMatch(s -> s.endsWith(" is confirmed"))
                .anyMatch(s -> s.endsWith(" has been delivered"));
        String eventId = json.readTree(confirmed).get("eventId").asText();
        assertThat(jdbc.queryForObject("select count(*) from notifications where event_id = ?", Integer.class, eventId))
                .isEqualTo(1);
    }

    @Test
    void anSmtpOutageShorterThanTheRetriesDelaysTheMailAndLosesNothing() throws Exception {
        String email = customer();
        String confirmed = event("order.confirmed", "CONFIRMED", orderJson(email, "DE"), Map.of());
        String eventId = json.readTree(confirmed).get("eventId").asText();
        // lets the test see the exchange waiting for its next try (see redeliveries)
        camel.getInflightRepository().setInflightBrowseEnabled(true);
        mailServer.stopSmtp();
        try {
            publish(confirmed);
            // the mail server refused at least once and the mail waits for its next try
            await().atMost(Duration.ofSeconds(30)).until(() -> redeliveries(eventId) >= 1);
            assertThat(mails(email)).isEmpty();
        } finally {
            mailServer.startSmtp();
        }
        List<MimeMessage> mails = awaitMails(email, 1);
        assertThat(subjects(mails)).singleElement().asString().endsWith(" is confirmed");
        // the Message-ID comes from the event and the recipient kind, not from the try that got through
        assertThat(mails.get(0).getMessageID()).isEqualTo(io.orderhub.common.StableIdMimeMessage.messageId(
                "notification:" + eventId + ":customer", mails.get(0).getFrom()[0].toString()));
        assertThat(jdbc.queryForObject("select attempts from notifications where event_id = ? and status = 'SENT'",
                Integer.class, eventId)).isGreaterThan(1);
        assertThat(deadLetter(eventId)).isNull();
    }

    @Test
    void anSmtpOutageDeadLettersTheMailAndAReplayDeliversIt() throws Exception {
        String email = customer();
        String paid = event("order.paid", "PAID", orderJson(email, "DE"), Map.of());
        String eventId = json.readTree(paid).get("eventId").asText();
        JsonNode letter;
        mailServer.stopSmtp();
        try {
            publish(paid);
            letter = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetter(eventId), l -> l != null);
        } finally {
            mailServer.startSmtp();
        }
        assertThat(letter.get("target").asText()).isEqualTo("notify.customer");
        assertThat(letter.get("status").asText()).isEqualTo("OPEN");
        // the first try and orderhub.notify.retry.max-redeliveries (application-test.yaml) retries
        assertThat(letter.get("attempts").asInt()).isEqualTo(6);
        assertThat(letter.get("reason").asText()).doesNotContain(email);
        assertThat(mails(email)).isEmpty();
        // the event again: it was dead-lettered, not forgotten, so nothing is sent behind the letter's back
        publish(paid);
        publish(event("order.delivered", "DELIVERED", orderJson(email, "DE"), Map.of()));
        assertThat(subjects(awaitMails(email, 1))).singleElement().asString().endsWith(" has been delivered");

        Response replay = postJson("/api/ops/dead-letters/" + letter.get("id").asLong() + "/replay", OPS_KEY, "");
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.body().get("status").asText()).isEqualTo("REPLAYED");
        List<MimeMessage> mails = awaitMails(email, 2);
        assertThat(subjects(mails)).anyMatch(s -> s.startsWith("Payment received for order "));
        Response again = postJson("/api/ops/dead-letters/" + letter.get("id").asLong() + "/replay", OPS_KEY, "");
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select status from notifications where event_id = ?", String.class, eventId))
                .isEqualTo("SENT");
    }

    @Test
    void aRejectedRestDocumentIsToldToTheChannelsRejectionAddress() throws Exception {
        ObjectNode bad = order();
        bad.put("currency", "EURO");
        ((ObjectNode) bad.get("lines").get(0)).put("quantity", 0);
        Response r = postJson("/api/orders", WEBSHOP_KEY, bad);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        String receiptId = r.header("X-Receipt-Id");
        await().atMost(Duration.ofSeconds(30)).until(() -> mails("integration@webshop.example").stream()
                .anyMatch(m -> subject(m).contains(receiptId)));
        MimeMessage mail = mails("integration@webshop.example").stream().filter(m -> subject(m).contains(receiptId))
                .findFirst().orElseThrow();
        assertThat(subject(mail)).isEqualTo("Document rejected: receipt " + receiptId);
        String text = text(mail);
        assertThat(text).contains("Receipt:   " + receiptId, "over rest", "/currency: ", "/lines/0/quantity: ");
        int problems = get("/api/receipts/" + receiptId, OPS_KEY).body().get("errors").size();
        assertThat(text).contains("Problems (" + problems + "):");
        assertThat(problems).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aChannelThatNotifiesItsOwnCustomersIsLeftAlone() throws Exception {
        String email = customer();
        ObjectNode order = orderJson(email, "DE");
        order.put("channel", "marketplace");
        publish(event("order.confirmed", "CONFIRMED", order, Map.of()));
        // a webshop event behind it on the same queue: once it is mailed, the marketplace event was handled
        String other = customer();
        publish(event("order.confirmed", "CONFIRMED", orderJson(other, "DE"), Map.of()));
        awaitMails(other, 1);
        assertThat(mails(email)).isEmpty();
        // recipients are stored encrypted: compared in clear
        assertThat(jdbc.queryForList("select recipient from notifications", String.class).stream().map(cipher::openText))
                .doesNotContain(email);
    }

    @Test
    void anEditedTemplateIsUsedWithoutARestart() throws Exception {
        Path file = MAPPINGS.resolve("templates/en/order-delivered.txt.ftl");
        String original = Files.readString(file);
        String email = customer();
        try {
            Files.writeString(file, original.replaceFirst("Subject: [^\\n]*",
                    java.util.regex.Matcher.quoteReplacement("Subject: Delivered: ${order.orderId}, enjoy!")));
            await().atMost(Duration.ofSeconds(60)).until(() -> templates.render("order-delivered", "en", sampleModel())
                    .subject().startsWith("Delivered: "));
            ObjectNode order = orderJson(email, "DE");
            publish(event("order.delivered", "DELIVERED", order, Map.of()));
            assertThat(subjects(awaitMails(email, 1))).containsExactly("Delivered: " + order.get("orderId").asText() + ", enjoy!");
        } finally {
            Files.writeString(file, original);
            await().atMost(Duration.ofSeconds(60)).until(() -> templates.render("order-delivered", "en", sampleModel())
                    .subject().startsWith("Your order "));
        }
    }

    // ---- helpers

    private Map<String, Object> sampleModel() {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("order", Map.of("orderId", "ORD-1"));
        m.put("event", Map.of("at", "2026-11-22T10:00:00Z"));
        m.put("channel", Map.of("id", "webshop", "name", "Demo web shop"));
        m.put("fmt", new MailFormats("en", java.time.ZoneId.of("UTC")));
        return m;
    }

    private static String customer() {
        return "c" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
    }

    /** The example order as a stored one of webshop: an order id, status and receivedAt, this customer. */
    private ObjectNode orderJson(String email, String country) throws IOException {
        ObjectNode order = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
        order.put("orderId", "ORD-T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
        order.put("channel", "webshop");
        order.put("receivedAt", Instant.now().toString());
        ((ObjectNode) order.get("customer")).put("email", email);
        ((ObjectNode) order.get("shipTo")).put("country", country);
        return order;
    }

    private String event(String type, String status, ObjectNode order, Map<String, Object> extra) throws IOException {
        order.put("status", status);
        ObjectNode e = json.createObjectNode();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("orderId", order.get("orderId").asText());
        e.put("type", type);
        e.put("status", status);
        e.put("at", Instant.now().toString());
        ObjectNode data = e.putObject("data");
        data.set("order", order);
        extra.forEach((k, v) -> data.set(k, json.valueToTree(v)));
        return json.writeValueAsString(e);
    }

    /** Puts an event on the notifier's queue, as the outbox relay would (or a broker redelivering it). */
    private void publish(String event) throws IOException {
        String orderId = json.readTree(event).get("orderId").asText();
        String type = json.readTree(event).get("type").asText();
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        // the subscription's fully qualified name on the multicast address: only this queue gets it
        jms.setPubSubDomain(true);
        jms.send(NOTIFY_QUEUE, session -> {
            var m = session.createTextMessage(event);
            m.setStringProperty("JMSXGroupID", orderId);
            // signed as the relay signs (EventPublisher): the notifier acts only on the hub's own events
            m.setStringProperty("eventType", type);
            m.setStringProperty("orderId", orderId);
            m.setStringProperty(io.orderhub.security.EventSignatures.PROPERTY, signatures.sign(type, orderId, event));
            return m;
        });
    }

    /** How often the notifier has retried the mail of this event so far (0 while it is not being retried). */
    private int redeliveries(String eventId) {
        return camel.getInflightRepository().browse("notifyCustomers").stream()
                .map(InflightRepository.InflightExchange::getExchange)
                .filter(x -> String.valueOf(x.getProperty(NotificationAdapter.PAYLOAD)).contains(eventId))
                .map(x -> x.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class))
                .max(Integer::compare).orElse(0);
    }

    private JsonNode deadLetter(String eventId) {
        for (JsonNode l : get("/api/ops/dead-letters?limit=1000", OPS_KEY).body()) {
            if (eventId.equals(l.get("eventId").asText())) {
                return l;
            }
        }
        return null;
    }

    private List<MimeMessage> mails(String address) {
        return mailServer.greenMail().findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true).toList();
    }

    private List<MimeMessage> awaitMails(String address, int count) {
        // up to 120 s: the SMTP outage test's mails may still hold the notifier's consumers in their retries, and the
        // next test's mails wait behind them (seen on PostgreSQL in the full suite)
        try {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(mails(address)).hasSize(count));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what the hub knows of the missing mail: its notification rows and dead letters
            List<Map<String, Object>> rows = jdbc.queryForList("select event_type, order_id, status, attempts, recipient, "
                    + "created_at from notifications order by created_at desc limit 10");
            rows.forEach(r -> r.put("recipient", address.equalsIgnoreCase(cipher.openText((String) r.get("recipient")))
                    ? "this address" : "another address"));
            throw new AssertionError(e.getMessage() + "\nreceived: " + subjects(mails(address)) + "\nlast notifications: "
                    + rows + "\nusers: " + mailServer.greenMail().getUserManager().listUser().stream()
                    .filter(u -> u.getEmail().equalsIgnoreCase(address)).count(), e);
        }
        return mails(address);
    }

    private static MimeMessage mail(List<MimeMessage> mails, String subjectPart) {
        return mails.stream().filter(m -> subject(m).contains(subjectPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail with '" + subjectPart + "' in " + subjects(mails)));
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> subjects(List<MimeMessage> mails) {
        return mails.stream().map(NotificationsTest::subject).toList();
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> out = new ArrayList<>();
        for (Address a : addresses == null ? new Address[0] : addresses) {
            out.add(((InternetAddress) a).getAddress());
        }
        return out;
    }

    private static String text(MimeMessage m) throws Exception {
        return part(m, "text/plain");
    }

    private static String html(MimeMessage m) throws Exception {
        return part(m, "text/html");
    }

    private static String part(MimeMessage m, String type) throws Exception {
        Multipart multipart = (Multipart) m.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart p = multipart.getBodyPart(i);
            if (p.isMimeType(type)) {
                return p.getContent().toString().replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no " + type + " part in " + m.getContentType());
    }

    private List<String> imapSubjects(String address) throws MessagingException {
        return new io.orderhub.support.SandboxMailbox(mailServer).subjects(address);
    }

}
