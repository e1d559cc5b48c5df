package io.orderhub.reliability;

import java.util.Map;
import java.util.TreeMap;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The message count of every queue of the hub's embedded broker, asked of the broker's management address
 * over its TCP acceptor: the stage queues' backlogs and every dead letter queue, whatever its name.
 */
final class BrokerQueueDepths implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;
    private final QueueConnection connection;
    private final QueueSession session;
    private final QueueRequestor requestor;

    BrokerQueueDepths(int brokerPort) throws JMSException {
        factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=-1",
                HubProcess.BROKER_USER, HubProcess.BROKER_PASSWORD);
        connection = factory.createQueueConnection();
        session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
        connection.start();
    }

    /** Queue name → messages in it (the broker's own activemq.* queues left out). */
    synchronized Map<String, Long> depths() throws Exception {
        Map<String, Long> depths = new TreeMap<>();
        for (Object n : (Object[]) ask(ResourceNames.BROKER, "queueNames")) {
            String name = String.valueOf(n);
            if (name.startsWith("activemq.")) {
                continue;
            }
            if (ask(ResourceNames.QUEUE + name, "messageCount") instanceof Number count) {
                depths.put(name, count.longValue());
            }
        }
        return depths;
    }

    /** Messages in dead letter queues: DLQ, DLQ.* (the broker's, per address) and *.DLQ (the hub's). */
    static long deadLettered(Map<String, Long> depths) {
        return depths.entrySet().stream().filter(e -> isDeadLetterQueue(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    static boolean isDeadLetterQueue(String name) {
        return name.equals("DLQ") || name.startsWith("DLQ.") || name.endsWith(".DLQ");
    }

    private Object ask(String resource, String attribute) throws Exception {
        Message m = session.createMessage();
        JMSManagementHelper.putAttribute(m, resource, attribute);
        Message reply = requestor.request(m);
        if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
            throw new IllegalStateException(resource + "." + attribute + ": " + JMSManagementHelper.getResult(reply));
        }
        return JMSManagementHelper.getResult(reply);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException e) {
            // closing anyway
        }
        factory.close();
    }
}
