package io.orderhub.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderhub.security.BrokerUsers;
import org.apache.activemq.artemis.core.security.Role;

/**
 * The embedded broker's security settings, per address match (Artemis uses the most specific match, whole):
 * <ul>
 * <li>the hub's own addresses (the events address and its subscriptions, the dead letter and expiry queues, the
 * ERP/CRM queues, the rejection notices, the broker's own {@code activemq.#}): role {@code hub} only;</li>
 * <li>the inbound queue ({@code orders.inbound}): role {@code hub}, and role {@code channel} may send;</li>
 * <li>{@code replies.#}: role {@code hub}; role {@code channel} may create (durable or not), consume from and delete
 * queues: the answer queues a STOMP or AMQP client names plainly (its reply-to), anycast by default;</li>
 * <li>everything else ({@code #}): role {@code hub}; role {@code channel} may create, consume from and delete
 * non-durable queues and their addresses: the temporary queues a channel names in JMSReplyTo for its answers.</li>
 * </ul>
 * The same settings as broker.xml for an external broker are in docs/transports.md.
 */
public final class BrokerSecurity {

    /** The addresses of answer queues a client names plainly ({@code replies.<name>}): anycast, a channel may create them. */
    public static final String REPLY_ADDRESSES = "replies.#";

    private BrokerSecurity() {
    }

    /** Security roles by address match: {@code hubOnly} addresses, the inbound queue, and the rest ({@code #}). */
    public static Map<String, Set<Role>> roles(List<String> hubOnly, String inboundQueue) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        Set<Role> hubAlone = Set.of(hub());
        for (String address : new LinkedHashSet<>(hubOnly)) {
            roles.put(address, hubAlone);
        }
        roles.put("activemq.#", hubAlone);
        roles.put("$.artemis.internal.#", hubAlone);
        Role sender = new Role();
        sender.setName(BrokerUsers.CHANNEL_ROLE);
        sender.setSend(true);
        roles.put(inboundQueue, Set.of(hub(), sender));
        // queues named plainly for answers (a STOMP reply-to: replies.x, an AMQP client's queue): a channel may create
        // them durable too, as STOMP and AMQP create the queue they subscribe to; the broker deletes them when unused
        Role named = new Role();
        named.setName(BrokerUsers.CHANNEL_ROLE);
        named.setCreateAddress(true);
        named.setDeleteAddress(true);
        named.setCreateNonDurableQueue(true);
        named.setDeleteNonDurableQueue(true);
        named.setCreateDurableQueue(true);
        named.setDeleteDurableQueue(true);
        named.setConsume(true);
        roles.put(REPLY_ADDRESSES, Set.of(hub(), named));
        Role replies = new Role();
        replies.setName(BrokerUsers.CHANNEL_ROLE);
        replies.setCreateAddress(true);
        replies.setDeleteAddress(true);
        replies.setCreateNonDurableQueue(true);
        replies.setDeleteNonDurableQueue(true);
        replies.setConsume(true);
        roles.put("#", Set.of(hub(), replies));
        return roles;
    }

    private static Role hub() {
        Role r = new Role();
        r.setName(BrokerUsers.HUB_ROLE);
        r.setSend(true);
        r.setConsume(true);
        r.setBrowse(true);
        r.setManage(true);
        r.setCreateAddress(true);
        r.setDeleteAddress(true);
        r.setCreateDurableQueue(true);
        r.setDeleteDurableQueue(true);
        r.setCreateNonDurableQueue(true);
        r.setDeleteNonDurableQueue(true);
        return r;
    }
}
