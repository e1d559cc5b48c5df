package io.orderhub.config;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * The sender's validated broker user on every message, whatever protocol it came by. Artemis'
 * {@code populate-validated-user} writes {@code _AMQ_VALIDATED_USER} on core messages (CORE, OpenWire and STOMP
 * arrive as such) but not on AMQP 1.0 messages, which the hub then could not tell apart from anonymous ones (the JMS
 * intake refuses those). This plugin sets it on the others the same way: always the session's user, overwriting
 * whatever the sender put there, or removing it when the session has none. A JMS reader sees it as
 * {@code JMSXUserID} (the AMQP {@code user-id} a sender chooses is not it).
 */
public class ValidatedUserOnEveryMessage implements ActiveMQServerMessagePlugin {

    static final String VALIDATED_USER = Message.HDR_VALIDATED_USER.toString();

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        if (message instanceof CoreMessage || session == null) {
            return;
        }
        String user = session.getValidatedUser();
        if (user == null || user.isEmpty()) {
            message.removeProperty(VALIDATED_USER);
        } else {
            message.putStringProperty(VALIDATED_USER, user);
        }
    }
}
