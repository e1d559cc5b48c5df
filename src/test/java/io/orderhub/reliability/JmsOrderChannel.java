package io.orderhub.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A channel sending canonical orders to the queue {@code orders.inbound} of the hub's broker at a steady rate:
 * persistent sends (a send that returns is on the broker's disk), string property {@code channel},
 * {@code _AMQ_DUPL_ID} = externalId (a send repeated after a failure is dropped by the broker), and
 * JMSReplyTo on a persistent answer queue, whose answers it collects by correlation id.
 */
final class JmsOrderChannel implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode template;
    private final ActiveMQConnectionFactory factory;
    private final String replies = "reliability.replies." + UUID.randomUUID();
    private final ScheduledExecutorService producers;
    private final Map<String, Boolean> accepted = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unsent = new ConcurrentLinkedQueue<>();
    private final Map<String, List<JsonNode>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger sendFailures = new AtomicInteger();
    private final Connection answerConnection;
    private final List<Connection> producerConnections = new ArrayList<>();
    private volatile boolean sending = true;

    JmsOrderChannel(int brokerPort, int producerCount, double messagesPerSecond) throws IOException, JMSException {
        this.template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
        this.factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=-1",
                HubProcess.BROKER_USER, HubProcess.BROKER_PASSWORD);
        answerConnection = factory.createConnection();
        Session session = answerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createQueue(replies)).setMessageListener(m -> {
            try {
                JsonNode answer = json.readTree(((TextMessage) m).getText());
                answers.computeIfAbsent(m.getJMSCorrelationID(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(answer);
            } catch (JMSException | IOException e) {
                answers.computeIfAbsent("unreadable", k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(json.createObjectNode().put("error", e.toString()));
            }
        });
        answerConnection.start();
        this.producers = Executors.newScheduledThreadPool(producerCount);
        long periodMicros = Math.max(1, (long) (producerCount * 1_000_000 / messagesPerSecond));
        for (int p = 0; p < producerCount; p++) {
            Connection c = factory.createConnection();
            producerConnections.add(c);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue replyQueue = s.createQueue(replies);
            MessageProducer producer = s.createProducer(s.createQueue("orders.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producers.scheduleAtFixedRate(() -> sendOne(s, producer, replyQueue), 0, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void sendOne(Session session, MessageProducer producer, Queue replyQueue) {
        if (!sending) {
            return;
        }
        String externalId = unsent.poll();
        if (externalId == null) {
            externalId = "PGJ-" + UUID.randomUUID().toString().replace('-', 'x');
        }
        try {
            producer.send(order(session, template, externalId, replyQueue));
            accepted.put(externalId, Boolean.TRUE);
        } catch (JMSException | RuntimeException e) {
            // not acknowledged by the broker: sent again (same duplicate id), as a channel does
            sendFailures.incrementAndGet();
            unsent.add(externalId);
        }
    }

    /**
     * A channel's order message: the canonical order with this externalId, string property {@code channel},
     * {@code _AMQ_DUPL_ID} and the correlation id = externalId (a repeated send is dropped by the broker and its
     * answer is found by the externalId), answers to {@code replyTo}.
     */
    static TextMessage order(Session session, ObjectNode template, String externalId, Queue replyTo) throws JMSException {
        TextMessage m = session.createTextMessage(template.deepCopy().put("externalId", externalId).toString());
        m.setStringProperty("channel", "webshop");
        m.setStringProperty("_AMQ_DUPL_ID", externalId);
        m.setJMSCorrelationID(externalId);
        m.setJMSReplyTo(replyTo);
        return m;
    }

    /** No more messages (a send that failed and was not yet repeated stays in {@link #unsent()}). */
    void stopSending() {
        sending = false;
        producers.shutdown();
        try {
            producers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** externalIds of the messages the broker accepted (the send returned). */
    Set<String> accepted() {
        return Set.copyOf(accepted.keySet());
    }

    int sendFailures() {
        return sendFailures.get();
    }

    int unsent() {
        return unsent.size();
    }

    /** Answers received so far, by correlation id (= externalId). */
    Map<String, List<JsonNode>> answers() {
        Map<String, List<JsonNode>> copy = new java.util.HashMap<>();
        answers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    @Override
    public void close() {
        sending = false;
        producers.shutdownNow();
        for (Connection c : producerConnections) {
            closeQuietly(c);
        }
        closeQuietly(answerConnection);
        factory.close();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException e) {
            // closing anyway
        }
    }
}
