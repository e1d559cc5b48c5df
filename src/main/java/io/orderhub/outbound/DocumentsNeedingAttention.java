package io.orderhub.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import org.springframework.stereotype.Service;

/**
 * The partner documents operations should look at (docs/b2b-outbound.md): those HELD (invalid, never
 * sent) with their errors, those FAILED (refused by the partner's callback) with its answer, and those SENT that the partner has not acknowledged within its channel's
 * {@code acknowledgementWindow}, with how long they are overdue.
 */
@Service
public class DocumentsNeedingAttention {

    public static final String HELD = "held";
    public static final String UNACKNOWLEDGED = "unacknowledged";
    public static final String FAILED = "failed";
    public static final List<String> STATES = List.of(HELD, FAILED, UNACKNOWLEDGED);

    private final DocumentLedger ledger;
    private final ChannelRegistry channels;
    private final Clock clock;

    public DocumentsNeedingAttention(DocumentLedger ledger, ChannelRegistry channels, Clock clock) {
        this.ledger = ledger;
        this.channels = channels;
        this.clock = clock;
    }

    /** {@code [{documentId, orderId, channel, type, standard, controlNumber, status, createdAt, sentAt, ...}]}. */
    public List<Map<String, Object>> find(String state, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (state == null || HELD.equals(state)) {
            for (OutboundDocument d : ledger.inStatus(OutboundDocument.HELD, limit)) {
                Map<String, Object> m = row(d);
                m.put("errors", d.errors() == null ? List.of() : List.of(d.errors().split("; ")));
                out.add(m);
            }
        }
        if (state == null || FAILED.equals(state)) {
            for (OutboundDocument d : ledger.inStatus(OutboundDocument.FAILED, limit)) {
                Map<String, Object> m = row(d);
                m.put("errors", d.errors() == null ? List.of() : List.of(d.errors()));
                out.add(m);
            }
        }
        if (state == null || UNACKNOWLEDGED.equals(state)) {
            Instant now = clock.instant();
            for (OutboundDocument d : ledger.inStatus(OutboundDocument.SENT, 100_000)) {
                Duration window = window(d.channel());
                if (d.sentAt() != null && d.sentAt().plus(window).isBefore(now)) {
                    Map<String, Object> m = row(d);
                    m.put("acknowledgementWindow", window.toString());
                    m.put("overdueSince", d.sentAt().plus(window));
                    out.add(m);
                    if (out.size() >= limit * 2) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    private Duration window(String channel) {
        return channels.find(channel).map(Channel::outbound).map(o -> Duration.parse(o.acknowledgementWindow()))
                .orElse(Duration.ofHours(24));
    }

    private static Map<String, Object> row(OutboundDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documentId", d.documentId());
        m.put("orderId", d.orderId());
        m.put("channel", d.channel());
        m.put("type", d.type());
        m.put("standard", d.standard());
        m.put("controlNumber", d.controlNumber());
        m.put("status", d.status());
        m.put("createdAt", d.createdAt());
        if (d.sentAt() != null) {
            m.put("sentAt", d.sentAt());
        }
        return m;
    }
}
