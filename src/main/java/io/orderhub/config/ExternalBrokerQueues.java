package io.orderhub.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.stereotype.Component;

/**
 * Gives an external Artemis broker (spring.artemis.mode=native, the prod profile) the hub's subscriptions
 * of {@link BrokerQueues} at start-up, over the core client API, before any consumer or the outbox relay
 * runs (this bean initialises with the singletons; Camel starts its routes after them). Without it a
 * broker.xml that misses a queue loses every event published before the first consumer, and Artemis
 * auto-creates the queue unfiltered on first consume, so a stage would see every event type.
 *
 * <p>Idempotent: a queue that exists with the same address, routing type and filter is left alone (several
 * instances start at once: a queue another one created meanwhile counts as existing). A queue that exists
 * with another filter, routing type or address is reported in the log as an ERROR naming both, and left as it
 * is (its messages are not the hub's to drop): fix broker.xml, or delete the queue so that the hub creates
 * it. A queue that is missing and cannot be created (the hub's user may not create queues) stops the start:
 * turn the declaration off ({@code ORDERHUB_BROKER_DECLARE_QUEUES=false}) and declare the queues in
 * broker.xml.
 */
@Component
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "native")
public class ExternalBrokerQueues implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ExternalBrokerQueues.class);

    /** What a declaration found: queues created, queues already there as wanted, and queues that differ. */
    public record Report(List<String> created, List<String> existing, List<String> mismatched) {
    }

    private final BrokerQueues queues;
    private final ArtemisProperties artemis;
    private final boolean enabled;
    private final Duration wait;

    public ExternalBrokerQueues(BrokerQueues queues, ArtemisProperties artemis,
                                BrokerProperties broker) {
        this.queues = queues;
        this.artemis = artemis;
        this.enabled = broker.declareQueues();
        this.wait = broker.declareWait();
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (!enabled) {
            log.info("broker queues: not declared (orderhub.broker.declare-queues=false); the broker must have {}",
                    queues.subscriptions().stream().map(BrokerQueues.Subscription::fullyQualified).toList());
            return;
        }
        declare(queues, artemis.getBrokerUrl(), artemis.getUser(), artemis.getPassword(), wait);
    }

    /** The broker URL for logs and messages: the values of its password parameters (TLS key and trust stores) masked. */
    public static String redacted(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /**
     * Declares the address and queues on the broker at {@code url}, waiting up to {@code wait} for it to
     * answer; returns what it found and did.
     *
     * @throws IllegalStateException when the broker does not answer or a missing queue cannot be created
     */
    public static Report declare(BrokerQueues queues, String url, String user, String password, Duration wait)
            throws Exception {
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url)) {
            locator.setRetryInterval(1000).setRetryIntervalMultiplier(1.0).setReconnectAttempts(0)
                    .setInitialConnectAttempts((int) Math.max(1, wait.toSeconds()));
            ClientSessionFactory factory;
            try {
                factory = locator.createSessionFactory();
            } catch (ActiveMQException e) {
                throw new IllegalStateException("broker queues: the broker at " + redacted(url) + " did not answer within " + wait
                        + " (" + e.getMessage() + "); the hub does not start without its queues", e);
            }
            try (factory; ClientSession session = factory.createSession(blank(user), blank(password), false, true, true,
                    false, 0)) {
                for (String address : queues.subscriptions().stream().map(BrokerQueues.Subscription::address).distinct().toList()) {
                    ensureAddress(session, address, mismatched);
                }
                for (BrokerQueues.Subscription s : queues.subscriptions()) {
                    ensureQueue(session, s, created, existing, mismatched);
                }
            }
        }
        Report report = new Report(List.copyOf(created), List.copyOf(existing), List.copyOf(mismatched));
        log.info("broker queues on {}: created {}, already there {}{}", redacted(url), report.created(), report.existing(),
                report.mismatched().isEmpty() ? "" : ", DIFFERENT " + report.mismatched());
        return report;
    }

    private static void ensureAddress(ClientSession session, String address, List<String> mismatched) throws ActiveMQException {
        ClientSession.AddressQuery found = session.addressQuery(SimpleString.of(address));
        if (!found.isExists()) {
            try {
                session.createAddress(SimpleString.of(address), EnumSet.of(RoutingType.MULTICAST), false);
            } catch (ActiveMQException e) {
                if (!session.addressQuery(SimpleString.of(address)).isExists()) {
                    throw new IllegalStateException("broker queues: cannot create the multicast address " + address + ": "
                            + e.getMessage() + " (give the hub's broker user the createAddress permission, or declare it in "
                            + "broker.xml and set ORDERHUB_BROKER_DECLARE_QUEUES=false)", e);
                }
            }
        } else if (!found.isSupportsMulticast()) {
            log.error("broker queues: the address {} exists without the MULTICAST routing type; the hub publishes its "
                    + "lifecycle events there as multicast and its subscriptions cannot be created: fix broker.xml", address);
            mismatched.add(address + " (no multicast)");
        }
    }

    private static void ensureQueue(ClientSession session, BrokerQueues.Subscription s, List<String> created,
                                    List<String> existing, List<String> mismatched) throws ActiveMQException {
        SimpleString name = SimpleString.of(s.queue());
        ClientSession.QueueQuery found = session.queueQuery(name);
        if (!found.isExists()) {
            try {
                session.createQueue(s.configuration());
                created.add(s.queue());
                return;
            } catch (ActiveMQQueueExistsException raced) {
                // another instance created it meanwhile: compare what it made
                found = session.queueQuery(name);
            } catch (ActiveMQException e) {
                throw new IllegalStateException("broker queues: cannot create " + s.fullyQualified() + ": " + e.getMessage()
                        + "; without it the hub would lose events (give the hub's broker user the createDurableQueue "
                        + "permission, or declare the queue in broker.xml and set ORDERHUB_BROKER_DECLARE_QUEUES=false)", e);
            }
        }
        String difference = difference(s, found);
        if (difference == null) {
            existing.add(s.queue());
            return;
        }
        log.error("broker queues: queue {} exists but differs from what the hub needs: {}. The hub leaves it as it is; "
                + "fix its definition in broker.xml (address {}, multicast, durable{}), or delete the queue (after draining "
                + "it) so that the hub creates it at the next start", s.queue(), difference, s.address(),
                s.filter() == null ? ", no filter" : ", filter \"" + s.filter() + "\"");
        mismatched.add(s.queue() + ": " + difference);
    }

    /** How the queue on the broker differs from the subscription; null when it does not. */
    static String difference(BrokerQueues.Subscription wanted, ClientSession.QueueQuery found) {
        List<String> d = new ArrayList<>();
        String address = found.getAddress() == null ? null : found.getAddress().toString();
        if (!wanted.address().equals(address)) {
            d.add("address " + address + " instead of " + wanted.address());
        }
        if (found.getRoutingType() != RoutingType.MULTICAST) {
            d.add("routing type " + found.getRoutingType() + " instead of MULTICAST");
        }
        String filter = found.getFilterString() == null || found.getFilterString().isEmpty() ? null
                : found.getFilterString().toString();
        if (!Objects.equals(wanted.filter(), filter)) {
            d.add("filter " + (filter == null ? "none" : "\"" + filter + "\"") + " instead of "
                    + (wanted.filter() == null ? "none" : "\"" + wanted.filter() + "\""));
        }
        if (!found.isDurable()) {
            d.add("not durable");
        }
        return d.isEmpty() ? null : String.join(", ", d);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
