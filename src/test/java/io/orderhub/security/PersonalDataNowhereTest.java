package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.support.HubTestSupport;
import io.orderhub.support.SandboxMailbox;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The twin of {@link CardNumbersNowhereTest} for personal data (issue 24, "nothing leaks"). Five people, each with a
 * distinctive name, e-mail address and street, order a product in stock: one over REST, two over JMS (a TextMessage
 * and a BytesMessage), one over AMQP 1.0 and one by e-mail, so that their orders travel on through the broker (inventory and payment stages, ERP and CRM sync,
 * customer notifications). Their values are then looked for in every table (but the sandboxes', which stand in for the
 * ERP, CRM, carrier and gateway that get them as their job), the hub's log file, every message on every queue of the
 * embedded broker, and every file of the broker's data directory (journal, bindings, paging, large messages), in
 * UTF-8 and in the 16-bit form Artemis keeps its strings in. They are found only where decryption is expected: the
 * API's answers to an authorised caller and the mails sent to that customer.
 * <p>
 * Two things keep them out of the broker's files: the lifecycle events travel sealed (the outbox's encrypted payload,
 * opened by each consumer), and the embedded broker seals a channel's order (text or bytes, core or AMQP) on {@code orders.inbound}
 * before it stores it ({@code io.orderhub.config.SealedInboundOrders}), which the JMS intake opens.
 */
class PersonalDataNowhereTest extends HubTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    SandboxMailServer mailServer;
    @Autowired
    EmbeddedActiveMQ embedded;
    @Autowired
    Environment env;

    /** A person nobody else in the suite is. */
    record Person(String via, String tag, String name, String email, String street) {
        static Person fresh(String via) {
            String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            return new Person(via, tag, "Yorick P" + tag, "yp." + tag + "@leak-test.example", "P" + tag + "strasse 7");
        }

        List<String> values() {
            return List.of(name, email, street);
        }
    }

    @Test
    void personalDataSentByRestJmsAndMailIsFoundOnlyInTheAnswersAndTheCustomersMails() throws Exception {
        Person rest = Person.fresh("REST");
        Person jms = Person.fresh("JMS");
        Person jmsBytes = Person.fresh("JMS bytes");
        Person mail = Person.fresh("e-mail");
        Person amqp = Person.fresh("AMQP 1.0");
        String sender = "buyer-" + mail.tag() + "@webshop.example";
        List<String> orderIds = new ArrayList<>();

        // REST
        Response created = postJson("/api/orders", WEBSHOP_KEY, orderInStock(rest));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        orderIds.add(created.body().get("orderId").asText());

        // JMS, with an answer
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            connection.start();
            MessageProducer inbound = session.createProducer(session.createQueue("orders.inbound"));
            TextMessage m = session.createTextMessage(json.writeValueAsString(orderInStock(jms)));
            m.setStringProperty("channel", "webshop");
            m.setJMSReplyTo(replies);
            inbound.send(m);
            Message answer = answers.receive(WAIT.toMillis());
            assertThat(answer).as("answer to the JMS order").isNotNull();
            String text = ((TextMessage) answer).getText();
            assertThat(json.readTree(text).get("status").asText()).as(text).isEqualTo("ACCEPTED");
            orderIds.add(json.readTree(text).at("/orderIds/0").asText());
            // the same as a BytesMessage
            jakarta.jms.BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(json.writeValueAsBytes(orderInStock(jmsBytes)));
            bytes.setStringProperty("channel", "webshop");
            bytes.setJMSReplyTo(replies);
            inbound.send(bytes);
            Message bytesAnswer = answers.receive(WAIT.toMillis());
            assertThat(bytesAnswer).as("answer to the JMS order in bytes").isNotNull();
            String bytesText = ((TextMessage) bytesAnswer).getText();
            assertThat(json.readTree(bytesText).get("status").asText()).as(bytesText).isEqualTo("ACCEPTED");
            orderIds.add(json.readTree(bytesText).at("/orderIds/0").asText());
        }

        // AMQP 1.0 (a channel's broker user, on an acceptor of this test's own), with an answer
        int amqpPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            amqpPort = free.getLocalPort();
        }
        embedded.getActiveMQServer().getRemotingService().createAcceptor("personal-data-amqp",
                "tcp://127.0.0.1:" + amqpPort + "?protocols=AMQP").start();
        try (Connection connection = new org.apache.qpid.jms.JmsConnectionFactory(BrokerSecurityTest.WEBSHOP_USER,
                BrokerSecurityTest.WEBSHOP_PASSWORD, "amqp://127.0.0.1:" + amqpPort).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            connection.start();
            TextMessage m = session.createTextMessage(json.writeValueAsString(orderInStock(amqp)));
            m.setStringProperty("channel", "webshop");
            m.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("orders.inbound")).send(m);
            Message answer = answers.receive(WAIT.toMillis());
            assertThat(answer).as("answer to the AMQP order").isNotNull();
            String text = ((TextMessage) answer).getText();
            assertThat(json.readTree(text).get("status").asText()).as(text).isEqualTo("ACCEPTED");
            orderIds.add(json.readTree(text).at("/orderIds/0").asText());
        } finally {
            embedded.getActiveMQServer().getRemotingService().destroyAcceptor("personal-data-amqp");
        }

        // e-mail, the order as an attachment
        sendMail(sender, orderInStock(mail));
        orderIds.add(await().atMost(WAIT).until(() -> jdbc.queryForList(
                "select order_id from orders where customer_email_hmac = ?", String.class, cipher.searchHash(mail.email()))
                .stream().findFirst().orElse(null), java.util.Objects::nonNull));

        // each order travels on: its confirmation mail reaches the customer, its events are published and consumed
        List<Person> people = List.of(rest, jms, jmsBytes, amqp, mail);
        Map<Person, String> mails = new LinkedHashMap<>();
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            String orderId = orderIds.get(i);
            mails.put(p, mailsTo(p.email()));
            await().atMost(WAIT).until(() -> jdbc.queryForObject(
                    "select count(*) from outbox where order_id = ? and published_at is null", Integer.class, orderId) == 0);
            // the API answers an authorised caller in clear
            String answer = get("/api/orders/" + orderId, WEBSHOP_KEY).text();
            assertThat(answer).contains(p.name(), p.email(), p.street());
        }

        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("database", database());
        sources.put("log file", logFile());
        sources.put("broker queues", queues());
        String journal = brokerFiles();
        List<String> leaks = new ArrayList<>();
        for (Person p : people) {
            for (Map.Entry<String, String> source : sources.entrySet()) {
                leaks.addAll(clearIn(source.getKey(), source.getValue(), p));
            }
            leaks.addAll(clearIn("broker data directory", journal, p));
            // mails go to the customer only
            for (Person other : people) {
                if (other != p) {
                    leaks.addAll(clearIn("mails to " + other.email(), mails.get(other), p));
                }
            }
        }
        assertThat(leaks).as("personal values in clear outside the answers and the customers' mails").isEmpty();
        // the scans would have seen them: the events of these orders were on the broker (sealed)
        assertThat(journal).as("the broker's journal holds these orders' events").contains(utf16(orderIds.get(0)));
    }

    /** Which of the person's values appear in the text, each with where and its surroundings. */
    private static List<String> clearIn(String source, String text, Person p) {
        List<String> found = new ArrayList<>();
        for (String value : p.values()) {
            for (String form : List.of(value, utf16(value))) {
                int i = text.indexOf(form);
                if (i >= 0) {
                    found.add(p.via() + " person's " + value + " in " + source + ": ..."
                            + text.substring(Math.max(0, i - 300), Math.min(text.length(), i + 100)).replace("\0", ""));
                }
            }
        }
        return found;
    }

    /** The text as Artemis writes a SimpleString (two bytes a character, low byte first), read as ISO-8859-1. */
    private static String utf16(String value) {
        return new String(value.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
    }

    private ObjectNode orderInStock(Person p) {
        String sku = "L-" + p.tag().toUpperCase();
        assertThat(put("/api/products/" + sku, Map.of("description", "test item " + sku, "unitPrice", 10,
                "currency", "EUR", "weightKg", 0.5)).statusCode()).isEqualTo(201);
        assertThat(put("/api/inventory/" + sku, Map.of("warehouse", "eu-central", "onHand", 5)).statusCode()).isEqualTo(200);
        ObjectNode order = order();
        order.withObject("/customer").put("name", p.name()).put("email", p.email()).put("externalId", "L" + p.tag());
        for (String party : List.of("/billTo", "/shipTo")) {
            order.withObject(party).put("name", p.name()).put("line1", p.street());
        }
        com.fasterxml.jackson.databind.node.ArrayNode lines = order.putArray("lines");
        lines.addObject().put("lineNo", 1).put("sku", sku).put("quantity", 2).put("unitPrice", new java.math.BigDecimal("10.00"))
                .put("lineTotal", new java.math.BigDecimal("20.00"));
        order.putObject("totals").put("subtotal", 20).put("discount", 0).put("shipping", 0).put("tax", 0).put("grandTotal", 20);
        return order;
    }

    /** Every value of every column of every table but the sandboxes'. */
    private String database() {
        StringBuilder all = new StringBuilder();
        List<String> tables = jdbc.queryForList("""
                select table_name from information_schema.tables
                where lower(table_schema) = 'public' and table_type in ('BASE TABLE', 'TABLE')
                """, String.class);
        assertThat(tables).contains("receipts", "orders", "outbox", "notifications", "mail_messages", "audit_log");
        for (String table : tables) {
            if (table.toLowerCase().startsWith("sandbox_")) {
                continue;
            }
            for (Map<String, Object> row : jdbc.queryForList("select * from " + table)) {
                all.append(table).append(':');
                for (Object v : row.values()) {
                    all.append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v)).append('|');
                }
                all.append('\n');
            }
        }
        return all.toString();
    }

    private String logFile() throws IOException {
        return Files.readString(Path.of(env.getRequiredProperty("logging.file.name")), StandardCharsets.ISO_8859_1);
    }

    /** Every message (body and properties) on every queue of the embedded broker, browsed by its full name. */
    private String queues() throws Exception {
        ActiveMQServer server = embedded.getActiveMQServer();
        StringBuilder all = new StringBuilder();
        List<String> names = List.of(server.getActiveMQServerControl().getQueueNames());
        assertThat(names).contains("erp.sync", "crm.sync", "notify.customer");
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            for (String name : names) {
                org.apache.activemq.artemis.core.server.Queue queue = server.locateQueue(SimpleString.of(name));
                if (queue == null || queue.isTemporary()) {
                    continue;
                }
                String fqqn = queue.getAddress() + "::" + name;
                try (QueueBrowser browser = session.createBrowser(session.createQueue(fqqn))) {
                    for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                        all.append(fqqn).append(": ").append(describe((Message) e.nextElement())).append('\n');
                    }
                } catch (jakarta.jms.JMSException gone) {
                    // a queue deleted since it was listed (an auto-created dead letter queue left empty) holds nothing
                }
            }
        }
        return all.toString();
    }

    /** Every file under the broker's data directory (journal, bindings, paging, large messages), as ISO-8859-1. */
    private String brokerFiles() throws IOException {
        Path dataDir = Path.of(embedded.getActiveMQServer().getConfiguration().getJournalDirectory()).getParent();
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(all.length()).as("the broker's files under " + dataDir).isPositive();
        return all.toString();
    }

    private static String describe(Message m) throws Exception {
        StringBuilder s = new StringBuilder();
        if (m instanceof TextMessage t) {
            s.append(t.getText());
        } else if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            s.append(new String(bytes, StandardCharsets.UTF_8));
        } else if (m instanceof MapMessage map) {
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
                Object name = names.nextElement();
                s.append(name).append('=').append(map.getObject(String.valueOf(name))).append(' ');
            }
        }
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = String.valueOf(names.nextElement());
            s.append(' ').append(name).append('=').append(m.getObjectProperty(name));
        }
        return s.toString();
    }

    private void sendMail(String from, ObjectNode order) throws Exception {
        MimeMessage m = new MimeMessage(new SandboxMailbox(mailServer).session());
        m.setFrom(new jakarta.mail.internet.InternetAddress(from));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, "orders@orderhub.local");
        m.setSubject("PO " + order.get("externalId").asText());
        jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                json.writeValueAsBytes(order), "application/json")));
        part.setFileName("order.json");
        part.setDisposition(jakarta.mail.internet.MimeBodyPart.ATTACHMENT);
        jakarta.mail.internet.MimeMultipart multipart = new jakarta.mail.internet.MimeMultipart();
        multipart.addBodyPart(part);
        m.setContent(multipart);
        jakarta.mail.Transport.send(m);
    }

    /** The mails the hub sent to the address, as received by the sandbox mail server (at least one). */
    private String mailsTo(String address) {
        return await().atMost(WAIT).until(() -> {
            StringBuilder s = new StringBuilder();
            for (MimeMessage m : mailServer.greenMail().getReceivedMessages()) {
                if (m.getAllRecipients() != null && Stream.of(m.getAllRecipients()).anyMatch(a -> a.toString().contains(address))) {
                    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                    m.writeTo(raw);
                    s.append(raw.toString(StandardCharsets.UTF_8)).append('\n');
                }
            }
            return s.toString();
        }, s -> !s.isEmpty());
    }

    private HttpResponse<byte[]> put(String path, Object body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
