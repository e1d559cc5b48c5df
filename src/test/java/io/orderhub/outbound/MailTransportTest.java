package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.shipping.ShippingTestSupport;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The mail transport (docs/b2b-outbound.md) through the running hub and the suite's sandbox mail server (GreenMail):
 * two test channels added to the test copy of channels.yaml. An order e-mailed by the partner is answered to its
 * sender with the 855 attached as order-response-&lt;control number&gt;.edi; a channel's {@code to} gets the documents
 * of its REST orders; an order that did not come by e-mail, of a channel without {@code to}, is FAILED (no recipient).
 */
class MailTransportTest extends ShippingTestSupport {

    static final String CHANNEL = "b2b-mail";
    static final String KEY = "test-mailpartner-channel-secret";
    static final String DESK_CHANNEL = "b2b-mail-desk";
    static final String DESK_KEY = "test-mailpartner-desk-channel-secret";
    static final String DESK = "edi@mailpartner-desk.example";

    @Autowired
    ChannelRegistry channels;
    @Autowired
    SandboxMailServer mailServer;

    @BeforeEach
    void channelsAnswerByMail() throws IOException {
        addChannels(channels);
    }

    static synchronized void addChannels(ChannelRegistry channels) throws IOException {
        if (channels.find(DESK_CHANNEL).isPresent()) {
            return;
        }
        Path file = MAPPINGS.resolve(ChannelRegistry.FILE);
        String text = Files.readString(file);
        if (!text.contains("id: " + DESK_CHANNEL)) {
            Files.writeString(file, text.stripTrailing() + "\n" + """
                      - id: b2b-mail
                        name: Test partner answered by mail, to the sender of its orders
                        formats: [canonical]
                        transports: ["*"]
                        senders: ["*@mailpartner.example"]
                        mailAuth: none
                        backorders: false
                        paymentGateway: stripe
                        apiKeys: [demo-mailpartner]
                        locale: en
                        outbound:
                          documents: [order-response]
                          format: x12
                          transport: {type: mail}
                          x12: {senderQualifier: ZZ, senderId: ORDERHUB, receiverQualifier: ZZ, receiverId: MAILPARTNER}
                      - id: b2b-mail-desk
                        name: Test partner answered by mail to its EDI desk
                        formats: [canonical]
                        transports: [rest]
                        senders: []
                        backorders: false
                        paymentGateway: stripe
                        apiKeys: [demo-mailpartner-desk]
                        locale: en
                        outbound:
                          documents: [order-response]
                          format: x12
                          transport: {type: mail, to: "edi@mailpartner-desk.example"}
                          x12: {senderQualifier: ZZ, senderId: ORDERHUB, receiverQualifier: ZZ, receiverId: MAILDESK}
                    """);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> channels.find(DESK_CHANNEL).isPresent());
    }

    @Test
    void anEmailedOrderIsAnsweredToItsSenderWithTheDocumentAttached() throws Exception {
        ObjectNode order = mailOrder();
        String externalId = order.get("externalId").asText();
        String sender = "buyer" + UUID.randomUUID().toString().substring(0, 8) + "@mailpartner.example";
        MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(smtp()));
        m.setFrom(new InternetAddress(sender));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress("orders@orderhub.local"));
        m.setSubject("order " + externalId);
        m.setText(json.writeValueAsString(order), "UTF-8");
        Transport.send(m);

        String orderId = await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForList(
                "select order_id from orders where external_id = ?", String.class, externalId), l -> !l.isEmpty()).get(0);
        JsonNode doc = awaitDocument(orderId, KEY, "SENT");
        assertThat(doc.get("transport").asText()).isEqualTo("mail");

        MimeMessage mail = documentMail(sender, doc.get("documentId").asText());
        byte[] content = get("/api/documents/" + doc.get("documentId").asText() + "/content", KEY).bytes();
        Part attachment = attachment(mail);
        assertThat(attachment.getFileName()).isEqualTo("order-response-" + doc.get("controlNumber").asLong() + ".edi");
        assertThat(attachment.getContentType()).startsWith("application/edi-x12");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(content);
        assertThat(new String(content, java.nio.charset.StandardCharsets.UTF_8)).contains("ST*855*").contains("*" + externalId + "*");
        // the document is not mailed again by a redelivered event
        assertThat(documents.prepare(outboxPayload(orderId, "order.confirmed"), true)).isEmpty();
    }

    @Test
    void theChannelsAddressGetsTheDocumentsOfItsRestOrders() throws Exception {
        String orderId = submit(mailOrder(), DESK_KEY);
        JsonNode doc = awaitDocument(orderId, DESK_KEY, "SENT");

        MimeMessage mail = documentMail(DESK, doc.get("documentId").asText());
        assertThat(attachment(mail).getFileName()).isEqualTo("order-response-" + doc.get("controlNumber").asLong() + ".edi");
        assertThat(mail.getSubject()).contains("X12 855").contains(orderId);
    }

    @Test
    void anOrderThatDidNotComeByMailOfAChannelWithoutAnAddressIsFailed() {
        String orderId = submit(mailOrder(), KEY);
        JsonNode doc = awaitDocument(orderId, KEY, "FAILED");

        assertThat(doc.get("errors").get(0).asText()).contains("no recipient");
        assertThat(get("/api/ops/documents?state=failed&limit=1000", OPS_KEY).body().findValuesAsText("documentId"))
                .contains(doc.get("documentId").asText());
    }

    @Autowired
    OutboundDocuments documents;

    /** An order of the channel; its externalId fits X12 BAK03 (22 characters at most). */
    private ObjectNode mailOrder() {
        ObjectNode order = orderFor(product(10, 0), 1, null, "10115");
        order.put("externalId", "MP-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
        return order;
    }

    private String submit(ObjectNode order, String key) {
        Response r = postJson("/api/orders", key, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    private JsonNode awaitDocument(String orderId, String key, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode docs = get("/api/orders/" + orderId + "/documents", key).body();
            assertThat(docs).hasSize(1);
            assertThat(docs.get(0).get("status").asText()).isEqualTo(status);
        });
        return get("/api/orders/" + orderId + "/documents", key).body().get(0);
    }

    /** The mail to {@code address} carrying the document (header X-OrderHub-Document-Id), exactly one. */
    private MimeMessage documentMail(String address, String documentId) throws Exception {
        List<MimeMessage> found = await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<MimeMessage> mails = new ArrayList<>();
            for (MimeMessage m : mailServer.greenMail().getReceivedMessages()) {
                if (m.getAllRecipients() != null && List.of(m.getAllRecipients()).stream()
                        .anyMatch(a -> a.toString().equalsIgnoreCase(address))
                        && documentId.equals(m.getHeader("X-OrderHub-Document-Id", null))) {
                    mails.add(m);
                }
            }
            return mails;
        }, l -> !l.isEmpty());
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static Part attachment(MimeMessage mail) throws Exception {
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                return p;
            }
        }
        throw new AssertionError("no attachment in " + mail.getSubject());
    }

    private Properties smtp() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(mailServer.smtpPort()));
        return p;
    }
}
