package io.orderhub.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.ingest.Receipt;
import io.orderhub.ingest.ReceiptStatus;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.notify.Notifier.NotComposed;
import org.springframework.stereotype.Component;

import static io.orderhub.notify.Notifier.RECEIPT_REJECTED;

/**
 * Sender mails on rejected documents ({@code receipt.rejected} notices): the channel's
 * {@code rejectionsTo} address hears of a REST or JMS document that was rejected, with its errors.
 */
@Component
class SenderNotices {

    private final ChannelRegistry channels;
    private final ReceiptStore receipts;
    private final MailDrafts drafts;

    SenderNotices(ChannelRegistry channels, ReceiptStore receipts, MailDrafts drafts) {
        this.channels = channels;
        this.receipts = receipts;
        this.drafts = drafts;
    }

    Optional<Notification> senderNotice(JsonNode notice, boolean replay) {
        String receiptId = notice.path("receiptId").asText("");
        String key = notice.path("eventId").asText("");
        if (receiptId.isBlank() || key.isBlank()) {
            throw new NotComposed("the rejection notice has no receiptId or eventId", null);
        }
        Optional<Receipt> found = receipts.find(receiptId);
        if (found.isEmpty() || found.get().status() != ReceiptStatus.REJECTED || "email".equals(found.get().via())) {
            return Optional.empty();
        }
        Receipt receipt = found.get();
        Optional<Channel> channel = channels.find(receipt.channel());
        String to = channel.map(c -> c.notifications().rejectionsTo()).filter(a -> !a.isBlank()).orElse(null);
        if (to == null || drafts.alreadyRecorded(key, Notification.SENDER, replay)) {
            return Optional.empty();
        }
        String locale = channel.get().locale();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("receiptId", receipt.receiptId());
        r.put("channel", receipt.channel());
        r.put("via", receipt.via());
        r.put("format", receipt.format());
        r.put("documentId", receipt.documentId());
        r.put("contentType", receipt.contentType());
        r.put("receivedAt", receipt.receivedAt() == null ? null : receipt.receivedAt().toString());
        List<Map<String, Object>> errors = new ArrayList<>();
        receipt.errors().forEach(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", e.field() == null ? "" : e.field());
            m.put("message", e.message());
            errors.add(m);
        });
        r.put("errors", errors);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("receipt", r);
        model.put("channel", Map.of("id", channel.get().id(), "name", channel.get().name() == null ? channel.get().id()
                : channel.get().name()));
        Notification draft = new Notification(key, Notification.SENDER, RECEIPT_REJECTED, null, receiptId,
                channel.get().id(), to, drafts.from(channel.get()), drafts.replyTo(channel.get()), locale, null, null, null);
        return Optional.of(drafts.render(draft, "receipt-rejected", model));
    }
}
