package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.support.BlockingBroker;
import io.orderhub.support.HubTestSupport;
import io.orderhub.messaging.BrokerSends;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A rejected REST or JMS document queues a rejection notice after its commit, in the thread that rejected it.
 * Before the fix that thread sent the notice itself: while the broker blocked producers (its disk beyond the
 * limit) a REST 422 did not come back, and every such request held a Tomcat thread until the broker had room.
 * The notice now goes in the background, and arrives once the broker takes it.
 */
class RejectionNoticesBlockedTest extends HubTestSupport {

    @Autowired
    ObjectProvider<ReceiptStore> receipts;
    @Autowired
    ChannelRegistry channels;
    @Autowired
    NotificationSettings settings;

    @Test
    void theRejectionIsAnsweredWhileTheBrokerBlocksItsNoticeAndTheNoticeGoesLater() throws Exception {
        ObjectNode invalid = order();
        invalid.remove("shipTo");
        Response rejected = postJson("/api/orders", WEBSHOP_KEY, invalid);
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(422);
        String receiptId = rejected.header("X-Receipt-Id");
        assertThat(receiptId).isNotBlank();

        try (BlockingBroker broker = new BlockingBroker("BLOCK", "8KiB")) {
            broker.queue(settings.rejectionsQueue());
            broker.fill(settings.rejectionsQueue(), false);
            long before = broker.count(settings.rejectionsQueue());
            RejectionNotices notices = new RejectionNotices(receipts, channels, settings, broker.connectionFactory(), json,
                    new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC()), 10);

            // outside a transaction, as after the commit: the caller must not wait for the blocked broker
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> notices.rejected(receiptId),
                    "the rejecting thread waited for a broker that blocks producers");
            assertThat(broker.count(settings.rejectionsQueue())).isEqualTo(before);

            broker.drain(settings.rejectionsQueue());
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.count(settings.rejectionsQueue()) == 1);
            String notice = ((jakarta.jms.TextMessage) browseOne(broker)).getText();
            assertThat(json.readTree(notice).get("receiptId").asText()).isEqualTo(receiptId);
            assertThat(json.readTree(notice).get("type").asText()).isEqualTo(Notifier.RECEIPT_REJECTED);
        }
    }

    private jakarta.jms.Message browseOne(BlockingBroker broker) throws Exception {
        try (jakarta.jms.Connection c = broker.connectionFactory().createConnection()) {
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            c.start();
            return s.createConsumer(s.createQueue(settings.rejectionsQueue())).receive(10_000);
        }
    }
}
