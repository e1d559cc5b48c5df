package io.orderhub.bench.load;

import java.util.Map;
import java.util.TreeMap;

import jakarta.jms.Connection;
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
 * The hub's embedded broker seen from outside over its TCP acceptor (CORE protocol): a JMS connection
 * factory for the JMS ingest runs, and the message count of every queue through the broker's management
 * address (the stage queues' depths over time).
 */
final class Broker implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;
    private QueueConnection management;
    private QueueSession session;
    private QueueRequestor requestor;

    Broker(String host, int port) {
        // the hub's own broker user (no anonymous access): the embedded default's unless the environment names another
        this.factory = new ActiveMQConnectionFactory("tcp://" + host + ":" + port,
                System.getenv().getOrDefault("ORDERHUB_ARTEMIS_USER", "orderhub"),
                System.getenv().getOrDefault("ORDERHUB_ARTEMIS_PASSWORD", "demo-hub-broker-key"));
    }

    ActiveMQConnectionFactory factory() {
        return factory;
    }

    Connection connect() throws JMSException {
        return factory.createConnection();
    }

    /** Messages waiting in every durable queue (temporary queues and the notification address left out). */
    synchronized Map<String, Long> depths() {
        Map<String, Long> depths = new TreeMap<>();
        try {
            if (requestor == null) {
                management = factory.createQueueConnection();
                session = management.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
                requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
                management.start();
            }
            Object[] names = (Object[]) ask(ResourceNames.BROKER, "queueNames");
            for (Object n : names) {
                String name = String.valueOf(n);
                if (name.startsWith("activemq.") || name.matches("[0-9a-f]{8}-[0-9a-f]{4}-.*") || name.contains("temp")) {
                    continue;
                }
                Object count = ask(ResourceNames.QUEUE + name, "messageCount");
                if (count instanceof Number c) {
                    depths.put(name, c.longValue());
                }
            }
        } catch (Exception e) {
            closeManagement();
        }
        return depths;
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

    private void closeManagement() {
        try {
            if (management != null) {
                management.close();
            }
        } catch (JMSException e) {
            // closing anyway
        }
        management = null;
        session = null;
        requestor = null;
    }

    @Override
    public synchronized void close() {
        closeManagement();
        factory.close();
    }
}
