package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Duplicate storms (issue 13, item 8): the same order sent 50 times at once over REST, JMS and e-mail is one
 * order with one {@code created} event, and every sender is told the same order number: REST answers 201 once
 * and 200 with the stored order for the rest (DESIGN §5), JMS answers ACCEPTED once and DUPLICATE for the rest,
 * e-mail answers "accepted" once and "received before" for the rest; the same mail (same Message-ID) delivered
 * 50 times is read once and answered once. Each storm writes its counts to target/reliability/.
 */
class DuplicateStormTest extends HubTestSupport {

    static final int STORM = Integer.getInteger("orderhub.reliability.storm", 50);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ORDERS = "orders@orderhub.local";

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    SandboxMailServer mailServer;

    @Test
    void restStormMakesOneOrderAnsweredCreatedOnceAndOkForTheRest() throws Exception {
        ObjectNode order = order();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(STORM);
        List<Response> responses = new ArrayList<>();
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return postJson("/api/orders", WEBSHOP_KEY, order);
                }));
            }
            start.countDown();
            for (Future<Response> f : answers) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        String externalId = order.get("externalId").asText();
        long created = responses.stream().filter(r -> r.status() == 201).count();
        long ok = responses.stream().filter(r -> r.status() == 200).count();
        long orders = ordersWith(externalId);
        long events = createdEvents(externalId);
        report("duplicate-storm-rest", "REST, " + STORM + " identical POST /api/orders at once",
                "answered 201 " + created + ", 200 " + ok + ", other " + (STORM - created - ok) + "; orders " + orders
                        + ", created events " + events, orders == 1 && events == 1 && created == 1 && ok == STORM - 1);

        assertThat(responses).extracting(Response::status).containsOnly(200, 201);
        assertThat(created).isEqualTo(1);
        String orderId = responses.get(0).body().get("orderId").asText();
        assertThat(responses).extracting(r -> r.body().get("orderId").asText()).containsOnly(orderId);
        assertThat(responses).filteredOn(r -> r.status() == 201).allSatisfy(r ->
                assertThat(r.header("Location")).endsWith("/api/orders/" + orderId));
        assertThat(orders).isEqualTo(1);
        assertThat(events).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from receipts where status = 'DUPLICATE' and document_id = ?",
                Integer.class, externalId)).isEqualTo(STORM - 1);
    }

    @Test
    void jmsStormMakesOneOrderAnsweredAcceptedOnceAndDuplicateForTheRest() throws Exception {
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        List<JsonNode> answers = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer replyConsumer = session.createConsumer(replies);
            connection.start();
            String body = json.writeValueAsString(order);
            for (int i = 0; i < STORM; i++) {
                TextMessage m = session.createTextMessage(body);
                m.setStringProperty("channel", "webshop");
                m.setJMSReplyTo(replies);
                m.setJMSCorrelationID("storm-" + i);
                producer.send(m);
            }
            for (int i = 0; i < STORM; i++) {
                Message reply = replyConsumer.receive(WAIT.toMillis());
                assertThat(reply).as("answer " + (i + 1) + " of " + STORM).isNotNull();
                answers.add(json.readTree(((TextMessage) reply).getText()));
            }
        }
        long accepted = answers.stream().filter(a -> a.get("status").asText().equals("ACCEPTED")).count();
        long duplicate = answers.stream().filter(a -> a.get("status").asText().equals("DUPLICATE")).count();
        long orders = ordersWith(externalId);
        long events = createdEvents(externalId);
        report("duplicate-storm-jms", "JMS, " + STORM + " identical messages to orders.inbound",
                "answered ACCEPTED " + accepted + ", DUPLICATE " + duplicate + ", other " + (STORM - accepted - duplicate)
                        + "; orders " + orders + ", created events " + events,
                orders == 1 && events == 1 && accepted == 1 && duplicate == STORM - 1);

        assertThat(accepted).isEqualTo(1);
        assertThat(duplicate).isEqualTo(STORM - 1);
        assertThat(answers).extracting(a -> a.get("orderIds")).containsOnly(answers.get(0).get("orderIds"));
        assertThat(answers.get(0).get("orderIds")).hasSize(1);
        assertThat(orders).isEqualTo(1);
        assertThat(events).isEqualTo(1);
    }

    @Test
    void mailStormOfDifferentMailsWithOneOrderMakesOneOrderAndEveryAnswerNamesIt() throws Exception {
        String sender = "storm-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        String body = json.writeValueAsString(order);
        for (int i = 0; i < STORM; i++) {
            Transport.send(mail(sender, "<" + UUID.randomUUID() + "@storm.example>", "storm " + i, body));
        }
        List<MimeMessage> answers = await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> messagesFor(sender), list -> list.size() >= STORM);
        String orderId = jdbc.queryForObject("select order_id from orders where external_id = ?", String.class, externalId);
        long accepted = 0;
        long before = 0;
        for (MimeMessage answer : answers) {
            String text = (String) answer.getContent();
            if (text.contains("mail body: accepted, order number " + orderId)) {
                accepted++;
            } else if (text.contains("mail body: received before, order number " + orderId)) {
                before++;
            }
        }
        long orders = ordersWith(externalId);
        long events = createdEvents(externalId);
        report("duplicate-storm-mail", "e-mail, " + STORM + " mails (each its own Message-ID) with the same order",
                "answers " + answers.size() + ": accepted " + accepted + ", received before " + before + "; orders "
                        + orders + ", created events " + events,
                orders == 1 && events == 1 && accepted == 1 && before == STORM - 1 && answers.size() == STORM);

        assertThat(answers).hasSize(STORM);
        assertThat(accepted).isEqualTo(1);
        assertThat(before).isEqualTo(STORM - 1);
        assertThat(orders).isEqualTo(1);
        assertThat(events).isEqualTo(1);
    }

    @Test
    void theSameMailDelivered50TimesIsReadOnceAndAnsweredOnce() throws Exception {
        String sender = "resend-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        String messageId = "<" + UUID.randomUUID() + "@resend.example>";
        MimeMessage mail = mail(sender, messageId, "resent", json.writeValueAsString(order));
        for (int i = 0; i < STORM; i++) {
            Transport.send(new MimeMessage(mail) {
                @Override
                protected void updateMessageID() throws jakarta.mail.MessagingException {
                    setHeader("Message-ID", messageId);
                }
            });
        }
        // every copy is read (marked seen) before we count: then no further answer can come
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> unseenInOrdersInbox(messageId) == 0
                && seenInOrdersInbox(messageId) == STORM);
        List<MimeMessage> answers = messagesFor(sender);
        long receipts = jdbc.queryForObject("select count(*) from receipts where via = 'email' and document_id = ?",
                Long.class, externalId);
        long orders = ordersWith(externalId);
        long events = createdEvents(externalId);
        report("duplicate-storm-mail-resend", "e-mail, the same mail (one Message-ID) delivered " + STORM + " times",
                "copies read " + seenInOrdersInbox(messageId) + ", answers " + answers.size() + ", receipts " + receipts
                        + "; orders " + orders + ", created events " + events,
                answers.size() == 1 && receipts == 1 && orders == 1 && events == 1);

        assertThat(answers).hasSize(1);
        assertThat((String) answers.get(0).getContent()).contains("mail body: accepted, order number");
        assertThat(receipts).isEqualTo(1);
        assertThat(orders).isEqualTo(1);
        assertThat(events).isEqualTo(1);
    }

    // --- counting ---

    private long ordersWith(String externalId) {
        return jdbc.queryForObject("select count(*) from orders where external_id = ?", Long.class, externalId);
    }

    /** Outbox rows of type order.created (the one "created" event a downstream system must see once). */
    private long createdEvents(String externalId) {
        return jdbc.queryForObject("select count(*) from outbox o join orders x on x.order_id = o.order_id "
                + "where x.external_id = ? and o.type = 'order.created'", Long.class, externalId);
    }

    static void report(String name, String load, String counted, boolean pass) throws IOException {
        IngestLoad.report(name, "| duplicate storm | the same order sent " + STORM + " times at once | " + load + " | "
                + counted + " | " + (pass ? "pass" : "FAIL") + " |");
    }

    // --- a channel's mail client ---

    private MimeMessage mail(String from, String messageId, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(session()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(ORDERS));
        m.setSubject(subject);
        m.setText(text, "UTF-8");
        m.saveChanges();
        return m;
    }

    private jakarta.mail.Session session() {
        return new io.orderhub.support.SandboxMailbox(mailServer).session();
    }

    private List<MimeMessage> messagesFor(String address) throws Exception {
        return new io.orderhub.support.SandboxMailbox(mailServer).messagesFor(address);
    }

    private long seenInOrdersInbox(String messageId) throws Exception {
        return countInOrdersInbox(messageId, true);
    }

    private long unseenInOrdersInbox(String messageId) throws Exception {
        return countInOrdersInbox(messageId, false);
    }

    private long countInOrdersInbox(String messageId, boolean seen) throws Exception {
        Store store = session().getStore("imap");
        store.connect(ORDERS, "orders");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            long n = 0;
            for (jakarta.mail.Message m : inbox.search(new jakarta.mail.search.HeaderTerm("Message-ID", messageId))) {
                if (m.isSet(jakarta.mail.Flags.Flag.SEEN) == seen) {
                    n++;
                }
            }
            inbox.close(false);
            return n;
        } finally {
            store.close();
        }
    }
}
