package io.orderhub.order;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.common.OrderHubException;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.common.Problem;
import io.orderhub.audit.AuditLog;
import io.orderhub.security.Caller;
import io.orderhub.messaging.Outbox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates orders and moves them through the lifecycle. Each change is one transaction: the order
 * row, its timeline entry and its outbox event commit together. Creation is idempotent on
 * (channel, externalId) through the database's unique constraint, so two identical requests racing
 * each other still make one order.
 */
@Service
public class OrderService {

    private final OrderRepository orders;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final List<OrderCompensation> compensations;
    private final AuditLog audit;
    private final MeterRegistry meters;

    public OrderService(OrderRepository orders, Outbox outbox, TransactionTemplate tx, Clock clock,
                        List<OrderCompensation> compensations, AuditLog audit, MeterRegistry meters) {
        this.audit = audit;
        this.meters = meters;
        this.orders = orders;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.compensations = List.copyOf(compensations);
    }

    /** The outcome of a submission: the stored order and whether this call created it. */
    public record Creation(CanonicalOrder order, boolean created) {
    }

    /**
     * Stores a valid order as CREATED, or returns the order already stored for its (channel,
     * externalId) without changing anything.
     */
    public Creation create(CanonicalOrder valid, String channel, CanonicalOrder.Source source) {
        return create(valid, channel, source, order -> { });
    }

    /**
     * As {@link #create(CanonicalOrder, String, CanonicalOrder.Source)}; {@code alsoInTheTransaction} runs with
     * the new order inside the transaction that stores it (not for an order already stored), so what it writes
     * (the receipt's outcome) commits with the order or not at all.
     */
    public Creation create(CanonicalOrder valid, String channel, CanonicalOrder.Source source,
                           java.util.function.Consumer<CanonicalOrder> alsoInTheTransaction) {
        // fast path for plain resends; the unique constraint below still decides when requests race
        var stored = orders.findByExternalId(channel, valid.externalId());
        if (stored.isPresent()) {
            return new Creation(stored.get(), false);
        }
        Instant receivedAt = clock.instant();
        try {
            CanonicalOrder created = tx.execute(status -> {
                CanonicalOrder order = valid.assign(orders.nextOrderId(), channel, receivedAt, OrderStatus.CREATED, source);
                orders.insert(order);
                orders.addEvent(order.orderId(), new OrderEvent(receivedAt, "order.created", null, OrderStatus.CREATED,
                        "received via " + source.via() + " as " + source.format() + ", receipt " + source.receiptId()));
                outbox.append(order.orderId(), "order.created", OrderStatus.CREATED.name(), Map.of("order", order));
                alsoInTheTransaction.accept(order);
                return order;
            });
            meters.counter("orderhub.orders.accepted", "channel", channel, "format", String.valueOf(source.format()),
                    "via", String.valueOf(source.via())).increment();
            return new Creation(created, true);
        } catch (DuplicateKeyException e) {
            CanonicalOrder existing = orders.findByExternalId(channel, valid.externalId())
                    .orElseThrow(() -> e);
            return new Creation(existing, false);
        }
    }

    /**
     * Moves an order to {@code to} when the lifecycle allows it from its current status; otherwise
     * 409 and nothing changes. Runs in its own transaction or joins the caller's.
     */
    public CanonicalOrder transition(String orderId, OrderStatus to, String type, String detail) {
        return transition(orderId, to, type, detail, Map.of());
    }

    /**
     * As {@link #transition(String, OrderStatus, String, String)}, with more fields for the event's
     * {@code data} (e.g. {@code shipments} with carriers and tracking numbers on order.shipped).
     */
    public CanonicalOrder transition(String orderId, OrderStatus to, String type, String detail, Map<String, ?> extraData) {
        return tx.execute(status -> {
            OrderStatus from = orders.lockStatus(orderId).orElseThrow(() -> notFound(orderId));
            return change(orderId, from, to, type, detail, extraData);
        });
    }

    /** Cancels with compensation; 409 when the order is COMPLETED, CANCELLED or REJECTED. */
    public CanonicalOrder cancel(String orderId, String reason, Caller caller) {
        return cancel(orderId, reason, caller, Map.of());
    }

    /**
     * As {@link #cancel(String, String, Caller)}, with more fields for the order.cancelled event's {@code data}
     * (e.g. {@code source: document} and the receipt when a partner's cancellation document asked for it).
     */
    public CanonicalOrder cancel(String orderId, String reason, Caller caller, Map<String, ?> eventData) {
        return tx.execute(status -> {
            CanonicalOrder order = visible(orderId, caller);
            OrderStatus from = orders.lockStatus(orderId).orElseThrow(() -> notFound(orderId));
            String why = reason == null || reason.isBlank() ? "cancelled by " + caller.keyId() : reason;
            // what the compensations give back (refund) goes with the event, for the customer's notification
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("reason", why);
            extra.putAll(eventData);
            for (OrderCompensation compensation : compensations) {
                extra.putAll(compensation.cancellationData(order.withStatus(from), from));
            }
            CanonicalOrder cancelled = change(orderId, from, OrderStatus.CANCELLED, "order.cancelled", why, extra);
            for (OrderCompensation compensation : compensations) {
                compensation.compensate(order.withStatus(from), from, why);
            }
            audit.record(caller, "order.cancel", orderId, from.name(), OrderStatus.CANCELLED.name(), why);
            return cancelled;
        });
    }

    /** The channel's order with this external id, if it has one (read only: previews ask it). */
    public Optional<CanonicalOrder> existing(String channel, String externalId) {
        return externalId == null ? Optional.empty() : orders.findByExternalId(channel, externalId);
    }

    public CanonicalOrder get(String orderId, Caller caller) {
        return visible(orderId, caller);
    }

    public List<OrderEvent> events(String orderId, Caller caller) {
        visible(orderId, caller);
        return orders.events(orderId);
    }

    public OrderPage list(OrderQuery query, Caller caller) {
        if (caller.channelScope().isPresent()) {
            String own = caller.channelScope().get();
            if (query.channel() != null && !query.channel().equals(own)) {
                return new OrderPage(List.of(), query.page(), query.size(), 0, 0);
            }
            query = new OrderQuery(query.status(), own, query.externalId(), query.trackingNumber(), query.from(), query.to(), query.page(),
                    query.size(), query.customerEmail());
        }
        return orders.list(query);
    }

    /**
     * How long an order stayed in {@code from} before it became {@code to}: the Timer
     * {@code orderhub.order.stage} (histogram buckets for Prometheus quantiles), recorded once the
     * transition commits.
     */
    private void recordStageTime(OrderStatus from, OrderStatus to, String channel, java.time.Duration inStage) {
        Runnable record = () -> io.micrometer.core.instrument.Timer.builder("orderhub.order.stage")
                .description("time an order spent in a lifecycle state before each transition")
                .tags("from", from.name(), "to", to.name(), "channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(10))
                .maximumExpectedValue(java.time.Duration.ofDays(7))
                .register(meters).record(inStage.isNegative() ? java.time.Duration.ZERO : inStage);
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            record.run();
                        }
                    });
        } else {
            record.run();
        }
    }

    /**
     * An event in the order's timeline without a change of state (e.g. order.paid again once the difference of a
     * replacement after payment is charged, so the allocation stage looks at the order again), in the caller's
     * transaction or its own. {@code publish}: also appended to the outbox as a lifecycle event of this type
     * ({@code fromStatus} = {@code toStatus} = the order's status); otherwise the timeline only.
     */
    public CanonicalOrder note(String orderId, String type, String detail, Map<String, ?> extraData, boolean publish) {
        return tx.execute(status -> {
            OrderStatus now = orders.lockStatus(orderId).orElseThrow(() -> notFound(orderId));
            orders.addEvent(orderId, new OrderEvent(clock.instant(), type, now, now, detail));
            CanonicalOrder order = orders.find(orderId).orElseThrow(() -> notFound(orderId));
            if (publish) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("fromStatus", now.name());
                data.put("toStatus", now.name());
                if (detail != null) {
                    data.put("detail", detail);
                }
                data.putAll(extraData);
                data.put("order", order);
                outbox.append(orderId, type, now.name(), data);
            }
            return order;
        });
    }

    private CanonicalOrder change(String orderId, OrderStatus from, OrderStatus to, String type, String detail,
                                  Map<String, ?> extraData) {
        if (!Lifecycle.allows(from, to)) {
            throw new OrderHubException(Problem.CONFLICT, "order " + orderId + " is " + from + " and cannot become " + to
                    + (Lifecycle.next(from).isEmpty() ? "" : "; allowed next: " + Lifecycle.next(from)));
        }
        Instant at = clock.instant();
        Instant enteredFrom = orders.enteredStatusAt(orderId, from);
        if (orders.changeStatus(orderId, from, to, at) != 1) {
            throw new OrderHubException(Problem.CONFLICT, "order " + orderId + " changed while it was being updated");
        }
        orders.addEvent(orderId, new OrderEvent(at, type, from, to, detail));
        meters.counter("orderhub.orders.transitions", "from", from.name(), "to", to.name()).increment();
        CanonicalOrder order = orders.find(orderId).orElseThrow(() -> notFound(orderId));
        if (enteredFrom != null) {
            recordStageTime(from, to, order.channel(), java.time.Duration.between(enteredFrom, at));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("fromStatus", from.name());
        data.put("toStatus", to.name());
        if (detail != null) {
            data.put("detail", detail);
        }
        data.putAll(extraData);
        data.put("order", order);
        outbox.append(orderId, type, to.name(), data);
        return order;
    }

    private CanonicalOrder visible(String orderId, Caller caller) {
        return orders.find(orderId).filter(o -> caller.maySee(o.channel())).orElseThrow(() -> notFound(orderId));
    }

    private static OrderHubException notFound(String orderId) {
        return OrderHubException.field(Problem.NOT_FOUND, "orderId", "no order " + orderId);
    }
}
