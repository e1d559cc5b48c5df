package io.orderhub.order;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderhub.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Acts on a document whose purpose is not a new order (DESIGN §10, document purpose): it names an order the
 * channel sent before by its externalId, and never creates a second one.
 *
 * <ul>
 *   <li>CANCEL cancels the stored order with the usual compensation (stock released, refund, shipments not yet
 *       packed cancelled) while the goods have not left: CREATED, BACKORDERED, CONFIRMED, PAID, ALLOCATED. A
 *       SHIPPED or DELIVERED order is refused (a cancellation cannot recall goods; that is a return), as are
 *       COMPLETED and REJECTED ones. A cancellation of an order already CANCELLED changes nothing and answers
 *       with it (a resent cancellation).</li>
 *   <li>REPLACE replaces the stored order's content (lines, quantities, prices, addresses, totals, payment)
 *       while it is not yet allocated: CREATED, BACKORDERED, CONFIRMED or PAID; every {@link OrderRevision} adjusts
 *       what it holds (stock is re-reserved for the new lines, all or nothing; after payment a lower total has the
 *       over-capture refunded once through the order's gateway, a higher one has the difference charged once, a
 *       payment in progress refuses until it settles: io.orderhub.payment.PaymentRevision) or refuses with its
 *       reason. After the commit each revision settles what it started ({@link OrderRevision#settle}); a reason
 *       from it (the difference declined) undoes the replacement. From ALLOCATED on it is refused (pick lists are issued).</li>
 *   <li>CHANGE (X12 860, EDIFACT ORDCHG) adds, deletes or changes the lines it names ({@link LineChange})
 *       and is then handled as a replacement with the changed order.</li>
 *   <li>DUPLICATE changes nothing and answers with the stored order.</li>
 *   <li>Any of them for an externalId the channel never sent is refused, naming it.</li>
 * </ul>
 * Each change is one transaction with its timeline entry and outbox event (order.cancelled or
 * order.replaced, {@code source: document} and the receipt in the event's data).
 */
@Service
public class OrderAmendments {

    /** States from which a cancellation document cancels the order. */
    public static final Set<OrderStatus> CANCELLABLE = Collections.unmodifiableSet(EnumSet.of(
            OrderStatus.CREATED, OrderStatus.BACKORDERED, OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.ALLOCATED));

    /** States in which a replacement document replaces the order's content. */
    public static final Set<OrderStatus> REPLACEABLE = Collections.unmodifiableSet(EnumSet.of(
            OrderStatus.CREATED, OrderStatus.BACKORDERED, OrderStatus.CONFIRMED, OrderStatus.PAID));

    /** What became of the document: the order it acted on (null when there is none) and, when refused, why. */
    public record Outcome(Kind kind, CanonicalOrder order, String reason, CanonicalOrder previousOrder) {

        public enum Kind { CANCELLED, REPLACED, DUPLICATE, REFUSED }

        public Outcome(Kind kind, CanonicalOrder order, String reason) {
            this(kind, order, reason, null);
        }

        static Outcome refused(CanonicalOrder order, String reason) {
            return new Outcome(Kind.REFUSED, order, reason);
        }
    }

    private final OrderRepository orders;
    private final OrderService service;
    private final org.springframework.beans.factory.ObjectProvider<OrderRevision> revisions;
    private final io.orderhub.messaging.Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AmendmentForecast forecast;

    public OrderAmendments(OrderRepository orders, OrderService service,
                           org.springframework.beans.factory.ObjectProvider<OrderRevision> revisions,
                           io.orderhub.messaging.Outbox outbox, TransactionTemplate tx, Clock clock) {
        this.orders = orders;
        this.service = service;
        this.revisions = revisions;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.forecast = new AmendmentForecast(orders, revisions);
    }

    /**
     * Applies a document of this purpose (not ORIGINAL) to the channel's order {@code externalId}.
     * {@code replacement} is the document's valid order, needed for REPLACE only; {@code source} names the
     * document (format, via, receipt).
     */
    public Outcome apply(DocumentPurpose purpose, String channel, String externalId, CanonicalOrder replacement,
                         CanonicalOrder.Source source) {
        if (purpose == DocumentPurpose.ORIGINAL) {
            throw new IllegalArgumentException("an original order is created by OrderService, not amended");
        }
        var stored = orders.findByExternalId(channel, externalId);
        if (stored.isEmpty()) {
            return Outcome.refused(null, AmendmentWording.unknown(purpose, channel, externalId));
        }
        CanonicalOrder order = stored.get();
        return switch (purpose) {
            case DUPLICATE -> new Outcome(Outcome.Kind.DUPLICATE, order, "a copy of order " + order.orderId()
                    + " (" + order.status() + "); nothing changed");
            case CANCEL -> cancel(order, source);
            case REPLACE -> {
                if (replacement == null) {
                    throw new IllegalArgumentException("a replacement needs the document's order");
                }
                yield replace(order, current -> replacement, source, "replaced");
            }
            case CHANGE -> throw new IllegalArgumentException("a change needs its line changes: use change()");
            case ORIGINAL -> throw new IllegalStateException();
        };
    }

    /**
     * Applies a change document's line changes (X12 860, EDIFACT ORDCHG) to the channel's order {@code externalId},
     * under the same rules as a replacement (until ALLOCATED, stock re-reserved, payment adjusted). {@code problems} checks the changed order as a submission would be checked (schema and
     * business rules, known SKUs); any problem refuses the change with it.
     */
    public Outcome change(String channel, String externalId, List<LineChange> changes, CanonicalOrder.Source source,
                          java.util.function.Function<CanonicalOrder, List<String>> problems) {
        return change(channel, externalId, changes, HeaderChange.NONE, source, problems);
    }

    /**
     * As {@link #change(String, String, List, CanonicalOrder.Source, java.util.function.Function)}, with the
     * document's order-level restatements (allowances, charges, tax, its own total: {@link HeaderChange}) applied
     * and reconciled by {@link LineChange#apply(CanonicalOrder, List, HeaderChange)}.
     */
    public Outcome change(String channel, String externalId, List<LineChange> changes, HeaderChange header,
                          CanonicalOrder.Source source, java.util.function.Function<CanonicalOrder, List<String>> problems) {
        var stored = orders.findByExternalId(channel, externalId);
        if (stored.isEmpty()) {
            return Outcome.refused(null, AmendmentWording.unknown(DocumentPurpose.CHANGE, channel, externalId));
        }
        return replace(stored.get(), changed(changes, header, problems), source, "changed");
    }

    /**
     * What {@link #apply} or {@link #change} would do with this document now, changing nothing (no lock, no
     * write, no event): the same rules, the same reasons, the same {@link Outcome.Kind} (CANCELLED, REPLACED
     * for a replacement or a change, DUPLICATE, REFUSED; REFUSED without an order when the channel has no order
     * with this externalId). The stages that hold something for the order are asked through
     * {@link OrderRevision#foresee}. For the preview ({@code POST /api/mappings/preview}); a submission made
     * afterwards may still find the order moved on in between. {@code replacement} is needed for REPLACE,
     * {@code changes} and {@code problems} for CHANGE (as for {@link #change}).
     */
    public Outcome foresee(DocumentPurpose purpose, String channel, String externalId, CanonicalOrder replacement,
                           List<LineChange> changes, java.util.function.Function<CanonicalOrder, List<String>> problems) {
        return foresee(purpose, channel, externalId, replacement, changes, HeaderChange.NONE, problems);
    }

    /** As {@link #foresee(DocumentPurpose, String, String, CanonicalOrder, List, java.util.function.Function)}, with a
     * change document's order-level restatements ({@link HeaderChange}). */
    public Outcome foresee(DocumentPurpose purpose, String channel, String externalId, CanonicalOrder replacement,
                           List<LineChange> changes, HeaderChange header,
                           java.util.function.Function<CanonicalOrder, List<String>> problems) {
        return forecast.foresee(purpose, channel, externalId, replacement, changes, header, problems);
    }

    static java.util.function.UnaryOperator<CanonicalOrder> changed(List<LineChange> changes, HeaderChange header,
            java.util.function.Function<CanonicalOrder, List<String>> problems) {
        return current -> {
            CanonicalOrder changed = LineChange.apply(current, changes, header);
            List<String> wrong = problems.apply(changed);
            if (!wrong.isEmpty()) {
                throw new RevisionRefused("the changed order would not be valid: " + String.join("; ", wrong));
            }
            return changed;
        };
    }

    private Outcome cancel(CanonicalOrder order, CanonicalOrder.Source source) {
        String reason = "cancelled by the channel's " + source.format() + " cancellation document (receipt "
                + source.receiptId() + ")";
        try {
            return tx.execute(status -> {
                OrderStatus now = orders.lockStatus(order.orderId()).orElseThrow();
                if (now == OrderStatus.CANCELLED) {
                    return new Outcome(Outcome.Kind.DUPLICATE, order.withStatus(now), "order " + order.orderId()
                            + " is already CANCELLED; nothing changed");
                }
                if (!CANCELLABLE.contains(now)) {
                    throw new RevisionRefused(AmendmentWording.cancelRefusal(order.orderId(), now));
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("source", "document");
                data.put("receiptId", source.receiptId());
                data.put("format", source.format());
                CanonicalOrder cancelled = service.cancel(order.orderId(), reason,
                        Caller.channel("receipt " + source.receiptId(), order.channel()), data);
                return new Outcome(Outcome.Kind.CANCELLED, cancelled, reason);
            });
        } catch (RevisionRefused e) {
            return Outcome.refused(orders.find(order.orderId()).orElse(order), e.getMessage());
        }
    }

    private Outcome replace(CanonicalOrder order, java.util.function.UnaryOperator<CanonicalOrder> content,
                            CanonicalOrder.Source source, String how) {
        Outcome done = replaceInTransaction(order, content, source, how);
        if (done.kind() != Outcome.Kind.REPLACED) {
            return done;
        }
        // what a revision cannot do inside the transaction (the charge of a higher total's difference): done now
        for (OrderRevision revision : revisions.orderedStream().toList()) {
            java.util.Optional<String> undo = revision.settle(done.previousOrder(), done.order());
            if (undo.isPresent()) {
                return undo(done.previousOrder(), done.order(), source, undo.get());
            }
        }
        return done;
    }

    /**
     * Gives the order back the content it had before {@code replaced} because a stage could not settle the replacement
     * ({@link OrderRevision#settle}: the difference of a higher total was declined): the previous lines, prices,
     * addresses, totals and payment, stock re-reserved for them (all or nothing), event order.replaced naming why.
     * When that cannot be done (the order moved on, or the previous lines' stock is gone meanwhile) the replacement
     * stays and the order is held (its timeline says why; the allocation stage asks the FulfilmentHolds).
     */
    private Outcome undo(CanonicalOrder previous, CanonicalOrder replaced, CanonicalOrder.Source source, String why) {
        String orderId = previous.orderId();
        try {
            return tx.execute(status -> {
                OrderStatus now = orders.lockStatus(orderId).orElseThrow();
                CanonicalOrder stored = orders.find(orderId).orElseThrow();
                if (!REPLACEABLE.contains(now) || stored.totals() == null || replaced.totals() == null
                        || stored.totals().grandTotal().compareTo(replaced.totals().grandTotal()) != 0) {
                    throw new RevisionRefused("order " + orderId + " is " + now + " and no longer as replaced");
                }
                CanonicalOrder back = previous.assign(orderId, previous.channel(), previous.receivedAt(), now,
                        previous.source());
                for (OrderRevision revision : revisions.orderedStream().toList()) {
                    revision.revise(stored, back);
                }
                Instant at = clock.instant();
                orders.replaceContent(back, at);
                String detail = "the replacement by the channel's " + source.format() + " document (receipt "
                        + source.receiptId() + ") is undone: " + why + "; the order is as before ("
                        + AmendmentWording.changes(stored, back) + ")";
                replaced(orderId, at, now, detail, why, source, true, stored, back);
                return Outcome.refused(orders.find(orderId).orElse(back), why + "; the replacement is undone and order "
                        + orderId + " is as before");
            });
        } catch (RevisionRefused e) {
            String held = why + "; the replacement could not be undone (" + e.getMessage() + "), so order " + orderId
                    + " is held: it is not allocated until its payment covers its grand total (send a replacement"
                    + " the payment covers, or cancel it)";
            service.note(orderId, "order.payment-held", held, Map.of(), false);
            return new Outcome(Outcome.Kind.REPLACED, orders.find(orderId).orElse(replaced), held);
        }
    }

    private Outcome replaceInTransaction(CanonicalOrder order, java.util.function.UnaryOperator<CanonicalOrder> content,
                                         CanonicalOrder.Source source, String how) {
        try {
            return tx.execute(status -> {
                OrderStatus now = orders.lockStatus(order.orderId()).orElseThrow();
                if (!REPLACEABLE.contains(now)) {
                    throw new RevisionRefused(AmendmentWording.replaceRefusal(order.orderId(), now));
                }
                CanonicalOrder current = orders.find(order.orderId()).orElseThrow();
                CanonicalOrder content0 = content.apply(current);
                if (content0.assign(current.orderId(), current.channel(), current.receivedAt(), now, current.source())
                        .equals(current)) {
                    // a resent or replayed replacement: nothing to change, no event
                    return new Outcome(Outcome.Kind.DUPLICATE, current, "the document changes nothing in order "
                            + current.orderId());
                }
                CanonicalOrder next = content0.assign(current.orderId(), current.channel(), current.receivedAt(), now,
                        source);
                for (OrderRevision revision : revisions.orderedStream().toList()) {
                    revision.revise(current, next);
                }
                Instant at = clock.instant();
                orders.replaceContent(next, at);
                String detail = how + " by the channel's " + source.format() + " document (receipt " + source.receiptId()
                        + "): " + AmendmentWording.changes(current, next);
                replaced(current.orderId(), at, now, detail, detail, source, false, current, next);
                return new Outcome(Outcome.Kind.REPLACED, next, detail, current);
            });
        } catch (RevisionRefused e) {
            return Outcome.refused(orders.find(order.orderId()).orElse(order), e.getMessage());
        }
    }

    /**
     * The timeline entry and the {@code order.replaced} event of a replacement (or of its undoing, {@code undone}): the
     * order's status is unchanged, the event carries the previous lines and totals and the order as it now is.
     */
    private void replaced(String orderId, Instant at, OrderStatus now, String detail, String reason,
                          CanonicalOrder.Source source, boolean undone, CanonicalOrder previous, CanonicalOrder order) {
        orders.addEvent(orderId, new OrderEvent(at, "order.replaced", now, now, detail));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("fromStatus", now.name());
        data.put("toStatus", now.name());
        data.put("detail", detail);
        data.put("reason", reason);
        data.put("source", "document");
        data.put("receiptId", source.receiptId());
        data.put("format", source.format());
        if (undone) {
            data.put("undone", true);
        }
        data.put("previous", Map.of("lines", previous.lines(), "totals", previous.totals()));
        data.put("order", order);
        outbox.append(orderId, "order.replaced", now.name(), data);
    }
}
