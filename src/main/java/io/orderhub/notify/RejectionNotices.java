package io.orderhub.notify;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.ingest.Receipt;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.ingest.RejectedReceiptListener;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues a rejection notice ({@code {eventId, type: receipt.rejected, receiptId, at}}) on
 * {@code orderhub.notify.rejections-queue} once a REST or JMS document's rejection has committed, for
 * channels that name a {@code rejectionsTo} address; the notification route mails it. E-mailed documents
 * are answered by the e-mail intake itself. A notice that cannot be queued is logged; the receipt stays
 * REJECTED with its reasons for {@code GET /api/receipts/{id}} either way. The notice is sent in the
 * background ({@link BrokerSends.Async}, at most {@code orderhub.notify.rejections-backlog} waiting): the
 * request or consumer that rejected the document never waits on a broker that blocks producers (before, a
 * REST 422 did not come back while the broker's disk was full, and every such request held a Tomcat thread).
 */
@Component
public class RejectionNotices implements RejectedReceiptListener {

    private static final Logger log = LoggerFactory.getLogger(RejectionNotices.class);

    private final ObjectProvider<ReceiptStore> receipts;
    private final ChannelRegistry channels;
    private final NotificationSettings settings;
    private final JmsTemplate jms;
    private final ObjectMapper json;
    private final BrokerSends.Async sender;

    @Autowired
    public RejectionNotices(ObjectProvider<ReceiptStore> receipts, ChannelRegistry channels, NotificationSettings settings,
                            ConnectionFactory connectionFactory, ObjectMapper json, BrokerSends sends) {
        this(receipts, channels, settings, connectionFactory, json, sends, settings.rejectionsBacklog());
    }

    /** With the backlog given (tests). */
    public RejectionNotices(ObjectProvider<ReceiptStore> receipts, ChannelRegistry channels, NotificationSettings settings,
                            ConnectionFactory connectionFactory, ObjectMapper json, BrokerSends sends, int backlog) {
        this.receipts = receipts;
        this.channels = channels;
        this.settings = settings;
        this.jms = new JmsTemplate(connectionFactory);
        this.json = json;
        this.sender = sends.async("rejection notices", backlog, Duration.ofSeconds(10));
    }

    @Override
    public void rejected(String receiptId) {
        if (!settings.enabled()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    queue(receiptId);
                }
            });
        } else {
            queue(receiptId);
        }
    }

    private void queue(String receiptId) {
        if (!sender.submit(() -> send(receiptId))) {
            log.warn("rejection notice of receipt {} not queued: {} notices already wait for the broker", receiptId,
                    sender.waiting());
        }
    }

    private void send(String receiptId) {
        try {
            Receipt receipt = receipts.getObject().find(receiptId).orElse(null);
            if (receipt == null || "email".equals(receipt.via()) || channels.find(receipt.channel())
                    .map(c -> c.notifications().rejectionsTo()).filter(a -> !a.isBlank()).isEmpty()) {
                return;
            }
            Map<String, Object> notice = new LinkedHashMap<>();
            notice.put("eventId", Notifier.rejectionKey(receiptId, receipt.attempts()));
            notice.put("type", Notifier.RECEIPT_REJECTED);
            notice.put("receiptId", receiptId);
            notice.put("channel", receipt.channel());
            notice.put("at", receipt.updatedAt() == null ? null : receipt.updatedAt().toString());
            String body = json.writeValueAsString(notice);
            jms.send(settings.rejectionsQueue(), session -> session.createTextMessage(body));
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("rejection notice of receipt {} not queued: {}", receiptId, e.getMessage());
        }
    }
}
