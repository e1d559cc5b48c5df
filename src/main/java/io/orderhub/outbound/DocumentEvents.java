package io.orderhub.outbound;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.messaging.Outbox;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderRepository;
import org.springframework.stereotype.Component;

/**
 * What happened to a partner document, told like the order's other events (docs/b2b-outbound.md, "Events"):
 * {@code document.sent} when a document first becomes SENT, {@code document.acknowledged} and
 * {@code document.rejected} when the partner's 997/999/CONTRL moves it. Each is appended to the outbox (published
 * to orders.events with {@code data: {documentId, documentType, standard, controlNumber, channel, transport,
 * reason}}) and to the order's timeline ({@code GET /api/orders/{id}/events}, the journey), in the transaction of
 * the ledger change, so the event is told once, exactly when the status changed.
 */
@Component
public class DocumentEvents {

    public static final String SENT = "document.sent";
    public static final String ACKNOWLEDGED = "document.acknowledged";
    public static final String REJECTED = "document.rejected";

    private final Outbox outbox;
    private final OrderRepository orders;
    private final Clock clock;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc;

    public DocumentEvents(Outbox outbox, OrderRepository orders, Clock clock,
                          org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc) {
        this.outbox = outbox;
        this.orders = orders;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** The document became SENT; to be called in the transaction that recorded it. */
    public void sent(OutboundDocument d) {
        tell(SENT, d, null);
    }

    /** The partner acknowledged ({@code ACKNOWLEDGED}) or rejected ({@code REJECTED}) the document, with the reason. */
    public void acknowledged(OutboundDocument d, String status, String reason) {
        tell(OutboundDocument.REJECTED.equals(status) ? REJECTED : ACKNOWLEDGED, d, reason);
    }

    private void tell(String type, OutboundDocument d, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("documentId", d.documentId());
        data.put("documentType", d.type());
        data.put("standard", d.standard());
        data.put("controlNumber", d.controlNumber());
        data.put("channel", d.channel());
        data.put("transport", d.transport());
        if (reason != null) {
            data.put("reason", reason);
        }
        // the order's status as the event's status (read, not locked: the order moves on independently)
        String status = jdbc.queryForList("select status from orders where order_id = :id",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("id", d.orderId()), String.class)
                .stream().findFirst().orElse(null);
        outbox.append(d.orderId(), type, status, data);
        String control = d.controlNumber() == null ? "" : " control number " + d.controlNumber();
        orders.addEvent(d.orderId(), new OrderEvent(clock.instant(), type, null, null, d.type() + " " + d.documentId()
                + " (" + d.standard() + control + ") " + switch (type) {
                    case SENT -> "sent to channel " + d.channel() + " by " + d.transport();
                    case REJECTED -> "rejected by the partner" + (reason == null ? "" : ": " + reason);
                    default -> "acknowledged by the partner";
                }));
    }
}
