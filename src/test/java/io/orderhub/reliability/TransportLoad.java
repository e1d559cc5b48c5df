package io.orderhub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Orders by JMS and by e-mail, as channels send them, at a steady pace until stopped: JMS messages to
 * {@code orders.inbound} (persistent, {@code _AMQ_DUPL_ID} and the correlation id = externalId, answers to a
 * persistent queue on the hub's broker), and e-mails from a sender of their own ({@code <externalId>@webshop.example})
 * to the orders mailbox. A send counts as acknowledged when the broker or the mail server took it; a JMS
 * send that failed (the broker went away with the hub) is kept "in doubt", to be sent again, unchanged,
 * once the hub is back — what a channel does with a send that got no acknowledgement.
 */
final class TransportLoad implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode template;
    private final String answers = "reliability.answers." + UUID.randomUUID();
    private final Set<String> jmsAcknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> jmsInDoubt = ConcurrentHashMap.newKeySet();
    private final Set<String> mailAcknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> mailInDoubt = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
    private final jakarta.mail.Session mailSession;
    private Connection connection;
    private Session jmsSession;
    private MessageProducer jmsProducer;
    private Queue replyTo;
    private volatile boolean jmsDown;

    /** Starts sending: one JMS message and one e-mail every {@code every}. */
    TransportLoad(int brokerPort, TestMailServer mail, Duration every) throws java.io.IOException, JMSException {
        this.template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
        this.mailSession = mail.session();
        connection = factory(brokerPort).createConnection();
        jmsSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        jmsProducer = jmsSession.createProducer(jmsSession.createQueue("orders.inbound"));
        jmsProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
        replyTo = jmsSession.createQueue(answers);
        senders.scheduleWithFixedDelay(this::sendJms, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        senders.scheduleWithFixedDelay(this::sendMail, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendJms() {
        if (jmsDown) {
            return;
        }
        String externalId = "JMS-" + UUID.randomUUID().toString().replace('-', 'x');
        jmsInDoubt.add(externalId);
        try {
            jmsProducer.send(JmsOrderChannel.order(jmsSession, template, externalId, replyTo));
            jmsInDoubt.remove(externalId);
            jmsAcknowledged.add(externalId);
        } catch (JMSException | RuntimeException e) {
            // the broker went away with the hub: what was in flight stays in doubt
            jmsDown = true;
        }
    }

    private void sendMail() {
        String externalId = "MAIL-" + UUID.randomUUID().toString().replace('-', 'x');
        mailInDoubt.add(externalId);
        try {
            Transport.send(mail(mailSession, externalId));
            mailInDoubt.remove(externalId);
            mailAcknowledged.add(externalId);
        } catch (jakarta.mail.MessagingException | RuntimeException e) {
            // stays in doubt (the test's own mail server is not killed: this should not happen)
        }
    }

    Set<String> jmsAcknowledged() {
        return Set.copyOf(jmsAcknowledged);
    }

    Set<String> jmsInDoubt() {
        return Set.copyOf(jmsInDoubt);
    }

    Set<String> mailAcknowledged() {
        return Set.copyOf(mailAcknowledged);
    }

    Set<String> mailInDoubt() {
        return Set.copyOf(mailInDoubt);
    }

    /** The sender address of an order mail, where its answer goes. */
    static String mailSender(String externalId) {
        return externalId.toLowerCase(java.util.Locale.ROOT) + "@webshop.example";
    }

    /** Sends the JMS messages in doubt again, unchanged (same externalId, duplicate id and correlation id). */
    int resendInDoubt(int brokerPort) throws JMSException {
        int sent = 0;
        try (Connection c = factory(brokerPort).createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Queue replyTo = session.createQueue(answers);
            for (String externalId : jmsInDoubt()) {
                producer.send(JmsOrderChannel.order(session, template, externalId, replyTo));
                jmsInDoubt.remove(externalId);
                jmsAcknowledged.add(externalId);
                sent++;
            }
        }
        return sent;
    }

    /** The answers on the answer queue, by correlation id (= externalId), each answer's JSON in arrival order. */
    Map<String, List<JsonNode>> drainAnswers(int brokerPort, Duration quiet) throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        try (Connection c = factory(brokerPort).createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(answers));
            c.start();
            Message m;
            while ((m = consumer.receive(quiet.toMillis())) != null) {
                out.computeIfAbsent(m.getJMSCorrelationID(), k -> new ArrayList<>()).add(json.readTree(((TextMessage) m).getText()));
            }
        }
        return out;
    }

    private MimeMessage mail(jakarta.mail.Session session, String externalId) throws jakarta.mail.MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(mailSender(externalId)));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(TestMailServer.ORDERS));
        m.setSubject("order " + externalId);
        m.setText(template.deepCopy().put("externalId", externalId).toString(), "UTF-8");
        return m;
    }

    private static ActiveMQConnectionFactory factory(int brokerPort) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=0",
                HubProcess.BROKER_USER, HubProcess.BROKER_PASSWORD);
    }

    /** Stops sending; what was in flight is acknowledged or in doubt when this returns. */
    @Override
    public void close() throws InterruptedException {
        senders.shutdown();
        if (!senders.awaitTermination(60, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
        try {
            connection.close();
        } catch (JMSException | RuntimeException gone) {
            // the broker went away with the hub
        }
    }
}
