package io.orderhub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.config.BrokerQueues;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Messages waiting on the hub's queues: the stage subscriptions on {@code orders.events}, the inbound
 * queues and the dead letter queues. With the embedded broker the counts come from the broker itself;
 * with an external Artemis the queues are browsed over JMS, counting at most {@code browse-cap}
 * messages each (a depth at the cap means "at least").
 */
@Component
class QueueDepths {

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final JmsTemplate jms;
    private final String eventsAddress;
    private final List<String> stageQueues;
    private final List<String> queues;
    private final int browseCap;

    public QueueDepths(ObjectProvider<EmbeddedActiveMQ> embedded, ConnectionFactory connectionFactory,
                       BrokerDeadLetters dlqs, BrokerQueues subscriptions,
                       @Value("${orderhub.jms.inbound-queue}") String inbound,
                       @Value("${orderhub.erp-inbound.queue}") String erpInbound,
                       @Value("${orderhub.crm-inbound.queue}") String crmInbound,
                       OpsProperties ops) {
        this.embedded = embedded;
        this.jms = new JmsTemplate(connectionFactory);
        this.eventsAddress = subscriptions.address();
        // every subscription on orders.events (the stages, ERP and CRM sync, the notifier), from the one list
        this.stageQueues = subscriptions.subscriptions().stream().map(BrokerQueues.Subscription::queue).toList();
        List<String> all = new java.util.ArrayList<>(stageQueues);
        all.addAll(List.of(inbound, erpInbound, crmInbound));
        all.addAll(dlqs.queues());
        this.queues = List.copyOf(all);
        this.browseCap = ops.metrics().browseCap();
    }

    /** Queue name → messages waiting; queues the broker does not have are left out. */
    public Map<String, Long> depths() {
        Map<String, Long> depths = new LinkedHashMap<>();
        ActiveMQServer server = server();
        for (String name : queues) {
            if (server != null) {
                Queue q = server.locateQueue(SimpleString.of(name));
                if (q != null) {
                    depths.put(name, q.getMessageCount());
                }
            } else {
                String destination = stageQueues.contains(name) ? eventsAddress + "::" + name : name;
                depths.put(name, (long) jms.browse(destination, (session, browser) -> {
                    int n = 0;
                    for (var e = browser.getEnumeration(); e.hasMoreElements() && n < browseCap; e.nextElement()) {
                        n++;
                    }
                    return n;
                }));
            }
        }
        return depths;
    }

    private ActiveMQServer server() {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        return broker == null ? null : broker.getActiveMQServer();
    }
}
