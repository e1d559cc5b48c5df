package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;

/**
 * A dead letter queue the broker has not created yet (nothing was ever dead-lettered there: Artemis answers AMQ229017
 * to a browser) holds no message: the ops API counts 0 and lists nothing instead of failing with 503. Any other broker
 * failure still fails.
 */
class BrokerDeadLettersMissingQueueTest {

    private static BrokerDeadLetters deadLetters(JMSException onBrowse) throws JMSException {
        ConnectionFactory factory = mock(ConnectionFactory.class);
        Connection connection = mock(Connection.class);
        Session session = mock(Session.class);
        when(factory.createConnection()).thenReturn(connection);
        when(connection.createSession(anyBoolean(), anyInt())).thenReturn(session);
        when(session.createQueue(anyString())).thenAnswer(i -> {
            Queue q = mock(Queue.class);
            when(q.getQueueName()).thenReturn(i.getArgument(0));
            return q;
        });
        when(session.createBrowser(any(Queue.class))).thenThrow(onBrowse);
        when(session.createBrowser(any(Queue.class), any())).thenThrow(onBrowse);
        return new BrokerDeadLetters(factory, "orders.inbound.DLQ", "erp.stock-updates.DLQ", "crm.customer-updates.DLQ",
                "DLQ", new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC()), Duration.ofSeconds(1).toMillis());
    }

    @Test
    void aQueueTheBrokerHasNotCreatedIsEmpty() throws JMSException {
        BrokerDeadLetters missing = deadLetters(new InvalidDestinationException(
                "AMQ229017: Queue erp.stock-updates.DLQ does not exist"));

        assertThat(missing.depths(100)).containsEntry("erp.stock-updates.DLQ", 0).containsEntry("DLQ", 0);
        assertThat(missing.list("erp.stock-updates.DLQ", 10)).isEmpty();
    }

    @Test
    void anyOtherBrokerFailureStillFails() throws JMSException {
        BrokerDeadLetters failing = deadLetters(new JMSException("AMQ219014: Timed out waiting for response"));

        assertThatThrownBy(() -> failing.list("DLQ", 10)).isInstanceOf(org.springframework.jms.JmsException.class);
    }
}
