package io.orderhub.returns;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.messaging.Outbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A return's changes of status: each checked against {@link ReturnLifecycle} (409 otherwise), written with its
 * timeline entry and its outbox event in the caller's transaction; and the return as the API and the events
 * show it.
 */
@Component
public class ReturnTransitions {

    private final ReturnRepository returns;
    private final Outbox outbox;
    private final Clock clock;
    private final TransactionTemplate tx;

    public ReturnTransitions(ReturnRepository returns, Outbox outbox, Clock clock, TransactionTemplate tx) {
        this.returns = returns;
        this.outbox = outbox;
        this.clock = clock;
        this.tx = tx;
    }

    /** Changes the status (409 when the table does not allow it) with its timeline entry and outbox event. */
    public void transition(String returnId, CanonicalOrder order, ReturnStatus from, ReturnStatus to, String type, String detail,
                    Map<String, ?> extra) {
        requireAllowed(returnId, from, to);
        Instant at = clock.instant();
        if (returns.changeStatus(returnId, from, to, at) != 1) {
            throw OrderHubException.field(Problem.CONFLICT, "returnId", "return " + returnId + " changed while it was being updated");
        }
        returns.addEvent(returnId, new ReturnRepository.Event(at, type, from, to, detail));
        publish(returnId, order, type, from, to, detail, extra);
    }

    /** The outbox event of a return's change: {@code data.return} (as GET shows it) and {@code data.order}. */
    public void publish(String returnId, CanonicalOrder order, String type, ReturnStatus from, ReturnStatus to,
                         String detail, Map<String, ?> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("returnId", returnId);
        data.put("fromStatus", from == null ? null : from.name());
        data.put("toStatus", to.name());
        data.put("detail", detail);
        data.putAll(extra);
        data.put("return", view(returnId));
        data.put("order", order);
        outbox.append(order.orderId(), type, to.name(), data);
    }

    /** A timeline entry without a change of status. */
    public void note(String returnId, String type, String detail) {
        tx.executeWithoutResult(s -> returns.addEvent(returnId, new ReturnRepository.Event(clock.instant(), type, null, null,
                detail)));
    }

    public static void requireAllowed(String returnId, ReturnStatus from, ReturnStatus to) {
        if (!ReturnLifecycle.allows(from, to)) {
            throw OrderHubException.field(Problem.CONFLICT, "returnId", "return " + returnId + " is " + from
                    + " and cannot become " + to + (ReturnLifecycle.next(from).isEmpty() ? ""
                    : "; allowed next: " + ReturnLifecycle.next(from)));
        }
    }

    /** The return as the API shows it. */
    public Map<String, Object> view(String returnId) {
        Row r = returns.find(returnId).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "returnId", "no return " + returnId));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("returnId", r.returnId());
        v.put("orderId", r.orderId());
        v.put("channel", r.channel());
        v.put("status", r.status().name());
        v.put("resolution", r.resolution().name());
        v.put("currency", r.currency());
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Line l : returns.lines(returnId)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lineNo", l.lineNo());
            m.put("sku", l.sku());
            m.put("quantity", l.quantity());
            m.put("reason", l.reason());
            m.put("unitPrice", l.unitPrice());
            m.put("amount", l.amount());
            m.put("received", Map.of("restock", l.restocked(), "damaged", l.damaged(), "scrap", l.scrapped()));
            lines.add(m);
        }
        v.put("lines", lines);
        v.put("label", labelView(returnId));
        if (r.refundAmount() != null) {
            v.put(r.resolution() == Resolution.STORE_CREDIT ? "storeCredit" : "refund",
                    Map.of("amount", r.refundAmount(), "currency", r.currency()));
        }
        Map<String, Object> exchange = ReturnExchanges.view(returns, r);
        if (exchange != null) {
            v.put("exchange", exchange);
        }
        if (r.exchangeOrderId() != null) {
            v.put("exchangeOrderId", r.exchangeOrderId());
        }
        v.put("createdAt", r.createdAt().toString());
        v.put("updatedAt", r.updatedAt().toString());
        return v;
    }

    /** The label as the API shows it: carrier, service, trackingNumber, labelUrl, trackingStatus; null before one is bought. */
    public Map<String, Object> labelView(String returnId) {
        return returns.label(returnId).filter(l -> l.trackingCode() != null).map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("carrier", l.carrier());
            m.put("service", l.service());
            m.put("trackingNumber", l.trackingCode());
            m.put("labelUrl", l.labelUrl());
            m.put("trackingStatus", l.trackingStatus());
            m.put("state", l.state());
            return m;
        }).orElse(null);
    }
}
