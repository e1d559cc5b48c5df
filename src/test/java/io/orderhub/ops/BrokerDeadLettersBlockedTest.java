package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.common.DeadLetterHeaders;
import io.orderhub.common.RetryLaterException;
import io.orderhub.support.BlockingBroker;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

/**
 * An operator replays a broker dead letter while the broker blocks producers (its disk beyond the limit, or the
 * target full under BLOCK). Before the fix the request waited as long as the broker blocked; now it is answered
 * 503 (try later) after the replay timeout, the move rolled back so the message is still on its dead letter queue,
 * and the same replay works once the broker has room.
 */
class BrokerDeadLettersBlockedTest {

    static final String TARGET = "erp.stock-updates";
    static final String DLQ = "erp.stock-updates.DLQ";

    @Test
    void aReplayTheBrokerBlocksIsAnsweredTryLaterAndMovesNothing() throws Exception {
        try (BlockingBroker broker = new BlockingBroker("BLOCK", "8KiB")) {
            broker.queue(TARGET);
            broker.queue(DLQ);
            String messageId;
            try (Connection c = broker.connectionFactory().createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage m = s.createTextMessage("{\"sku\":\"SKU-1\",\"onHand\":5}");
                m.setStringProperty(DeadLetterHeaders.ORIGINAL_QUEUE, TARGET);
                s.createProducer(s.createQueue(DLQ)).send(m);
                messageId = m.getJMSMessageID();
            }
            broker.fill(TARGET, false);
            long targetBefore = broker.count(TARGET);
            BrokerDeadLetters dlqs = new BrokerDeadLetters(broker.connectionFactory(), "orders.inbound.DLQ", DLQ,
                    "crm.customer-updates.DLQ", "DLQ", new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC()), 2000);

            RetryLaterException refused = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(RetryLaterException.class, () -> dlqs.replay(DLQ, messageId)),
                    "the replay waited for a broker that blocks producers");
            assertThat(refused.problem().status()).isEqualTo(503);
            assertThat(refused.getMessage()).contains("the broker takes no messages now").contains("still on " + DLQ);
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.count(DLQ) == 1);
            assertThat(broker.count(TARGET)).isEqualTo(targetBefore);

            broker.drain(TARGET);
            Map<String, Object> replayed = dlqs.replay(DLQ, messageId);
            assertThat(replayed).containsEntry("replayedTo", TARGET);
            assertThat(broker.count(TARGET)).isEqualTo(1);
            assertThat(broker.count(DLQ)).isZero();
        }
    }
}
