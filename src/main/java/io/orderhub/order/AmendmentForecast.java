package io.orderhub.order;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.orderhub.order.OrderAmendments.Outcome;
import org.springframework.beans.factory.ObjectProvider;

/** Says what {@link OrderAmendments} would do with a document now, changing nothing (the mapping preview). */
final class AmendmentForecast {

    private final OrderRepository orders;
    private final ObjectProvider<OrderRevision> revisions;

    AmendmentForecast(OrderRepository orders, ObjectProvider<OrderRevision> revisions) {
        this.orders = orders;
        this.revisions = revisions;
    }

    Outcome foresee(DocumentPurpose purpose, String channel, String externalId, CanonicalOrder replacement,
                    List<LineChange> changes, HeaderChange header, Function<CanonicalOrder, List<String>> problems) {
        if (purpose == DocumentPurpose.ORIGINAL) {
            throw new IllegalArgumentException("an original order is created by OrderService, not amended");
        }
        var stored = orders.findByExternalId(channel, externalId);
        if (stored.isEmpty()) {
            return Outcome.refused(null, AmendmentWording.unknown(purpose, channel, externalId));
        }
        CanonicalOrder order = stored.get();
        OrderStatus now = order.status();
        return switch (purpose) {
            case DUPLICATE -> new Outcome(Outcome.Kind.DUPLICATE, order, "a copy of order " + order.orderId()
                    + " (" + order.status() + "); nothing changed");
            case CANCEL -> now == OrderStatus.CANCELLED
                    ? new Outcome(Outcome.Kind.DUPLICATE, order, "order " + order.orderId()
                            + " is already CANCELLED; nothing changed")
                    : !OrderAmendments.CANCELLABLE.contains(now)
                            ? Outcome.refused(order, AmendmentWording.cancelRefusal(order.orderId(), now))
                    : new Outcome(Outcome.Kind.CANCELLED, order, "order " + order.orderId() + " (" + now
                            + ") would be cancelled, with compensation for what it holds");
            case REPLACE -> {
                if (replacement == null) {
                    throw new IllegalArgumentException("a replacement needs the document's order");
                }
                yield foreseeReplace(order, current -> replacement, "replaced");
            }
            case CHANGE -> foreseeReplace(order, OrderAmendments.changed(changes, header, problems), "changed");
            case ORIGINAL -> throw new IllegalStateException();
        };
    }

    private Outcome foreseeReplace(CanonicalOrder order, UnaryOperator<CanonicalOrder> content, String how) {
        OrderStatus now = order.status();
        if (!OrderAmendments.REPLACEABLE.contains(now)) {
            return Outcome.refused(order, AmendmentWording.replaceRefusal(order.orderId(), now));
        }
        try {
            CanonicalOrder content0 = content.apply(order);
            if (content0.assign(order.orderId(), order.channel(), order.receivedAt(), now, order.source()).equals(order)) {
                return new Outcome(Outcome.Kind.DUPLICATE, order, "the document changes nothing in order "
                        + order.orderId());
            }
            CanonicalOrder next = content0.assign(order.orderId(), order.channel(), order.receivedAt(), now,
                    order.source());
            for (OrderRevision revision : revisions.orderedStream().toList()) {
                revision.foresee(order, next);
            }
            return new Outcome(Outcome.Kind.REPLACED, next, "order " + order.orderId() + " (" + now + ") would be "
                    + how + ": " + AmendmentWording.changes(order, next));
        } catch (RevisionRefused e) {
            return Outcome.refused(order, e.getMessage());
        }
    }
}
