package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.inventory.CatalogueRepository;
import io.orderhub.inventory.ReservationService;
import io.orderhub.inventory.StockRepository;
import io.orderhub.audit.AuditLog;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.Payment;
import io.orderhub.payment.PaymentService;
import io.orderhub.returns.ReturnLifecycle.Condition;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.security.Caller;
import io.orderhub.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Returns of shipped orders (issue 22). Every change of a return is one transaction: the return's row, its
 * timeline entry and an outbox event ({@code return.requested}, {@code return.authorized}, ...) commit
 * together, with the stock and money it moves. A transaction that touches an order and its return locks the
 * order's row first, then the return's, as a cancellation does, so the refund cap
 * ({@code io.orderhub.payment.RefundLimit}) sees every other refund of the order.
 *
 * <p>Request → (label bought: {@link ReturnLabels}) AUTHORIZED → (carrier tracking) IN_TRANSIT → receipt at the
 * warehouse: RESTOCK units back on the shelf, DAMAGED into quarantine, SCRAP nowhere; the refund (through the
 * order's gateway, once: key per return), the store credit or the exchange order is recorded with the receipt and
 * settled right after ({@link #settle}), and again by the returns job while the gateway is away.
 */
@Service
public class ReturnService {

    private static final Logger log = LoggerFactory.getLogger(ReturnService.class);
    static final Set<OrderStatus> RETURNABLE = Set.of(OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED);

    /** A request's outcome: the return and whether this call created it (201) or found it by its key (200). */
    public record Requested(Map<String, Object> view, boolean created) {
    }

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentService payments;
    private final StockRepository stock;
    private final CatalogueRepository catalogue;
    private final ReservationService reservations;
    private final ReturnLabels labels;
    private final ReturnProperties settings;
    private final AuditLog audit;
    private final ReturnTransitions moves;

    public ReturnService(ReturnRepository returns, OrderRepository orderRows, OrderService orders, Outbox outbox,
                         TransactionTemplate tx, Clock clock, PaymentService payments, StockRepository stock,
                         CatalogueRepository catalogue, ReservationService reservations, ReturnLabels labels,
                         ReturnProperties settings, AuditLog audit, ReturnTransitions moves) {
        this.moves = moves;
        this.returns = returns;
        this.orderRows = orderRows;
        this.orders = orders;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.payments = payments;
        this.stock = stock;
        this.catalogue = catalogue;
        this.reservations = reservations;
        this.labels = labels;
        this.settings = settings;
        this.audit = audit;
    }

    // ---- request

    /**
     * {@code POST /api/orders/{id}/returns}: a SHIPPED, DELIVERED or COMPLETED order's channel, OPS or ADMIN asks
     * for units back. Each line at most what was shipped minus what other returns already asked (422 naming the
     * line). The same {@code Idempotency-Key} again answers the stored return. The return label is bought at once
     * (the return is then AUTHORIZED); while the carrier is away it stays REQUESTED and the returns job buys it.
     */
    public Requested request(String orderId, JsonNode body, String idempotencyKey, Caller caller) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        if (key != null && key.length() > 200) {
            throw OrderHubException.field(Problem.INVALID, "Idempotency-Key", "is longer than 200 characters");
        }
        CanonicalOrder order = visibleOrder(orderId, caller);
        if (key != null) {
            Optional<Row> existing = returns.byKey(orderId, key);
            if (existing.isPresent()) {
                return new Requested(moves.view(existing.get().returnId()), false);
            }
        }
        ReturnRequests.Request request = ReturnRequests.request(body);
        Requested outcome;
        try {
            outcome = tx.execute(s -> {
                OrderStatus status = orderRows.lockStatus(orderId).orElseThrow(() -> notFound("orderId", orderId));
                if (key != null) {
                    Optional<Row> existing = returns.byKey(orderId, key);
                    if (existing.isPresent()) {
                        return new Requested(Map.of("returnId", existing.get().returnId()), false);
                    }
                }
                if (!RETURNABLE.contains(status)) {
                    throw OrderHubException.field(Problem.CONFLICT, "orderId", "order " + orderId + " is " + status
                            + "; returns are taken for SHIPPED, DELIVERED and COMPLETED orders");
                }
                List<Line> lines = lines(order, request);
                String customerKey = customerKey(order);
                if (request.resolution() == Resolution.STORE_CREDIT && customerKey == null) {
                    throw OrderHubException.field(Problem.INVALID, "/resolution", "STORE_CREDIT needs a customer the"
                            + " credit can be kept for: the order has no customer.externalId and no customer e-mail");
                }
                Instant now = clock.instant();
                String returnId = returns.nextReturnId();
                returns.insert(new Row(returnId, orderId, order.channel(), ReturnStatus.REQUESTED, request.resolution(),
                        key, caller.keyId(), order.currency(), null, null, now, now), lines, now);
                returns.insertLabel(returnId, labels.account(), now);
                String detail = "requested by " + caller.keyId() + ": " + describe(lines) + "; resolution "
                        + request.resolution();
                returns.addEvent(returnId, new ReturnRepository.Event(now, "return.requested", null, ReturnStatus.REQUESTED,
                        detail));
                moves.publish(returnId, order, "return.requested", null, ReturnStatus.REQUESTED, detail, Map.of());
                audit.record(caller, "return.request", returnId, null, ReturnStatus.REQUESTED.name(), detail);
                return new Requested(Map.of("returnId", returnId), true);
            });
        } catch (DuplicateKeyException e) {
            // the same key raced this request: the return of the one that won
            Row won = returns.byKey(orderId, key).orElseThrow(() -> e);
            return new Requested(moves.view(won.returnId()), false);
        }
        String returnId = (String) outcome.view().get("returnId");
        if (outcome.created()) {
            try {
                labels.buy(returnId);
            } catch (RuntimeException e) {
                log.warn("return label of {} not bought now, the returns job tries again: {}", returnId, e.toString());
            }
        }
        return new Requested(moves.view(returnId), outcome.created());
    }

    private List<Line> lines(CanonicalOrder order, ReturnRequests.Request request) {
        Map<Integer, Integer> returned = returns.returnedByLine(order.orderId());
        List<FieldError> errors = new ArrayList<>();
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            ReturnRequests.RequestedLine r = request.lines().get(i);
            CanonicalOrder.Line line = order.lines().stream().filter(l -> l.lineNo() != null && l.lineNo() == r.lineNo())
                    .findFirst().orElse(null);
            if (line == null) {
                errors.add(FieldError.of("/lines/" + i + "/lineNo", "order " + order.orderId() + " has no line "
                        + r.lineNo()));
                continue;
            }
            int shipped = line.quantity() == null ? 0 : line.quantity().intValue();
            int before = returned.getOrDefault(r.lineNo(), 0);
            int left = Math.max(0, shipped - before);
            if (r.quantity() > left) {
                errors.add(FieldError.of("/lines/" + i + "/quantity", "line " + r.lineNo() + " (" + line.sku() + "): "
                        + r.quantity() + " to return, but only " + left + " may be: " + shipped + " shipped, " + before
                        + " already returned"));
                continue;
            }
            BigDecimal unit = ReturnMoney.lineAmount(1, line.quantity(), line.lineTotal());
            out.add(new Line(r.lineNo(), line.sku(), r.quantity(), r.reason(), unit,
                    ReturnMoney.lineAmount(r.quantity(), line.quantity(), line.lineTotal()), 0, 0, 0));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the return request has " + errors.size() + " problem(s)", errors);
        }
        return out;
    }

    // ---- receipt at the warehouse

    /**
     * {@code POST /api/returns/{id}/receipt} (OPS): the units the warehouse counted back, by condition. RESTOCK
     * units go back on the shelf (available again; once: a line never takes more than was returned), DAMAGED
     * into quarantine, SCRAP nowhere. The refund, store credit or exchange is recorded in the same transaction
     * and settled right after; backordered orders holding a restocked SKU are confirmed oldest first.
     */
    public Map<String, Object> receive(String returnId, JsonNode body, Caller caller) {
        ReturnRequests.Receipt receipt = ReturnRequests.receipt(body);
        if (catalogue.warehouse(receipt.warehouse()).isEmpty()) {
            throw OrderHubException.field(Problem.INVALID, "/warehouse", "unknown warehouse '" + receipt.warehouse() + "'");
        }
        Row row = visible(returnId, caller);
        Set<String> restocked = new LinkedHashSet<>();
        tx.executeWithoutResult(s -> {
            orderRows.lockStatus(row.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow(() -> notFound("returnId", returnId));
            ReturnTransitions.requireAllowed(returnId, from, ReturnStatus.RECEIVED);
            List<Line> lines = returns.lines(returnId);
            List<FieldError> errors = new ArrayList<>();
            Map<Integer, Integer> counted = new LinkedHashMap<>();
            for (int i = 0; i < receipt.lines().size(); i++) {
                ReturnRequests.ReceivedLine r = receipt.lines().get(i);
                Line line = lines.stream().filter(l -> l.lineNo() == r.lineNo()).findFirst().orElse(null);
                if (line == null) {
                    errors.add(FieldError.of("/lines/" + i + "/lineNo", "line " + r.lineNo() + " is not part of return "
                            + returnId + " (its lines: " + lines.stream().map(Line::lineNo).toList() + ")"));
                    continue;
                }
                int total = counted.merge(r.lineNo(), r.quantity(), Integer::sum);
                if (total + line.received() > line.quantity()) {
                    errors.add(FieldError.of("/lines/" + i + "/quantity", "line " + r.lineNo() + " (" + line.sku() + "): "
                            + total + " received, but the return has " + (line.quantity() - line.received()) + " unit(s) to come"));
                }
            }
            if (!errors.isEmpty()) {
                throw new OrderHubException(Problem.INVALID, "the return receipt has " + errors.size() + " problem(s)", errors);
            }
            for (ReturnRequests.ReceivedLine r : receipt.lines()) {
                Line line = lines.stream().filter(l -> l.lineNo() == r.lineNo()).findFirst().orElseThrow();
                String why = "return " + returnId + " line " + r.lineNo() + " " + r.condition().name().toLowerCase(Locale.ROOT);
                boolean ok = returns.receive(returnId, r.lineNo(), r.condition() == Condition.RESTOCK ? r.quantity() : 0,
                        r.condition() == Condition.DAMAGED ? r.quantity() : 0, r.condition() == Condition.SCRAP ? r.quantity() : 0);
                if (!ok) {
                    throw OrderHubException.field(Problem.CONFLICT, "/lines", "line " + r.lineNo() + " of " + returnId
                            + " was received meanwhile");
                }
                if (r.condition() == Condition.RESTOCK) {
                    stock.restock(line.sku(), receipt.warehouse(), r.quantity(), row.orderId(), why);
                    restocked.add(line.sku());
                } else if (r.condition() == Condition.DAMAGED) {
                    stock.quarantine(line.sku(), receipt.warehouse(), r.quantity(), row.orderId(), why);
                }
            }
            CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
            Map<String, Object> extra = new LinkedHashMap<>();
            Map<String, Object> receiptData = new LinkedHashMap<>();
            receiptData.put("warehouse", receipt.warehouse());
            receiptData.put("lines", receipt.lines().stream().map(l -> Map.of("lineNo", l.lineNo(), "quantity", l.quantity(),
                    "condition", l.condition().name())).toList());
            extra.put("receipt", receiptData);
            extra.putAll(recordMoney(row, order));
            moves.transition(returnId, order, from, ReturnStatus.RECEIVED, "return.received", "received at " + receipt.warehouse()
                    + " by " + caller.keyId() + ": " + receipt.lines().stream().map(l -> "line " + l.lineNo() + " "
                    + l.quantity() + " " + l.condition()).toList(), extra);
            audit.record(caller, "return.receipt", returnId, from.name(), ReturnStatus.RECEIVED.name(), receipt.warehouse());
        });
        for (String sku : restocked) {
            try {
                reservations.confirmBackorders(sku);
            } catch (RuntimeException e) {
                log.warn("backorders of {} not confirmed after return {}: {}", sku, returnId, e.toString());
            }
        }
        try {
            settle(returnId);
        } catch (RuntimeException e) {
            log.warn("return {} not settled now, the returns job tries again: {}", returnId, e.toString());
        }
        return moves.view(returnId);
    }

    /** In the receipt's transaction: the refund row, the store credit (exchanges are made when settled). */
    private Map<String, Object> recordMoney(Row row, CanonicalOrder order) {
        if (row.resolution() == Resolution.EXCHANGE) {
            return Map.of();
        }
        List<Line> lines = returns.lines(row.returnId());
        List<ReturnMoney.Unit> units = new ArrayList<>();
        for (Line l : lines) {
            CanonicalOrder.Line ordered = order.lines().stream().filter(o -> o.lineNo() != null && o.lineNo() == l.lineNo())
                    .findFirst().orElseThrow();
            units.add(new ReturnMoney.Unit(l.received(), ordered.quantity(), ordered.lineTotal()));
        }
        Map<Integer, Integer> asked = returns.returnedByLine(row.orderId());
        boolean everyUnitBack = order.lines().stream().allMatch(l -> l.quantity() == null
                || asked.getOrDefault(l.lineNo(), 0) >= l.quantity().intValue())
                && lines.stream().allMatch(l -> l.received() == l.quantity());
        ReturnMoney.Breakdown money = ReturnMoney.refund(units, order.totals() == null ? null : order.totals().shipping(),
                settings.rules(row.channel()), everyUnitBack, returns.shippingRefunded(row.orderId(), row.returnId()));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> breakdown = new LinkedHashMap<>();
        breakdown.put("goods", money.goods());
        breakdown.put("shipping", money.shipping());
        breakdown.put("restockingFee", money.restockingFee());
        if (row.resolution() == Resolution.REFUND) {
            PaymentService.ReturnRefund refund = payments.recordReturnRefund(row.orderId(), row.returnId(), money.total());
            returns.setRefundAmount(row.returnId(), refund.amount(), refund.amount().signum() > 0 ? money.shipping()
                    : BigDecimal.ZERO);
            breakdown.put("amount", refund.amount());
            breakdown.put("currency", order.currency());
            if (refund.amount().compareTo(money.total()) < 0) {
                breakdown.put("cappedFrom", money.total());
            }
            if (refund.row() != null) {
                breakdown.put("method", refund.row().method());
                breakdown.put("gateway", refund.row().gateway());
            }
            out.put("refund", breakdown);
        } else {
            String customer = customerKey(order);
            returns.insertStoreCredit(row.returnId(), customer, money.total(), order.currency(), clock.instant());
            returns.setRefundAmount(row.returnId(), money.total(), money.shipping());
            breakdown.put("amount", money.total());
            breakdown.put("currency", order.currency());
            breakdown.put("customerKey", customer);
            out.put("storeCredit", breakdown);
        }
        return out;
    }

    // ---- settling: refund sent, credit granted, exchange order made

    /**
     * Takes a RECEIVED return to REFUNDED (its refund succeeded at the gateway, or nothing was left to refund),
     * CREDITED or EXCHANGED (the linked order created). Safe to call again: a return not RECEIVED is left alone,
     * the refund is sent with its own key, the exchange order is found by its external id.
     */
    public Optional<ReturnStatus> settle(String returnId) {
        Row row = returns.find(returnId).orElseThrow(() -> notFound("returnId", returnId));
        if (row.status() != ReturnStatus.RECEIVED) {
            return Optional.empty();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        String detail;
        switch (row.resolution()) {
            case REFUND -> {
                Optional<Payment> refund = payments.returnRefund(row.orderId(), returnId);
                if (refund.isPresent() && Payment.PENDING.equals(refund.get().status())) {
                    payments.refundOrder(row.orderId());
                    refund = payments.returnRefund(row.orderId(), returnId);
                }
                if (refund.isPresent() && !Payment.SUCCEEDED.equals(refund.get().status())) {
                    if (Payment.FAILED.equals(refund.get().status())) {
                        moves.note(returnId, "return.refund_failed", "the gateway refused the refund: " + refund.get().message());
                    }
                    return Optional.empty();
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("amount", refund.map(Payment::amount).orElse(BigDecimal.ZERO));
                r.put("currency", row.currency());
                refund.ifPresent(p -> {
                    r.put("method", p.method());
                    r.put("gateway", p.gateway());
                    r.put("refundId", p.refundId());
                });
                extra.put("refund", r);
                detail = refund.isEmpty() ? "nothing left to refund: the order's payments were given back already"
                        : "refunded " + refund.get().amount().stripTrailingZeros().toPlainString() + " " + row.currency()
                        + " via " + refund.get().gateway() + (refund.get().refundId() == null ? "" : ", " + refund.get().refundId());
            }
            case STORE_CREDIT -> {
                Map<String, Object> credit = returns.storeCredit(returnId).orElseThrow();
                extra.put("storeCredit", credit);
                detail = "store credit " + ((BigDecimal) credit.get("amount")).stripTrailingZeros().toPlainString() + " "
                        + credit.get("currency") + " for " + credit.get("customer_key");
            }
            case EXCHANGE -> {
                String exchange = exchangeOrder(row);
                extra.put("exchangeOrderId", exchange);
                detail = "exchanged: order " + exchange;
            }
            default -> throw new IllegalStateException();
        }
        ReturnStatus to = ReturnLifecycle.settled(row.resolution());
        return tx.execute(s -> {
            orderRows.lockStatus(row.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            if (from != ReturnStatus.RECEIVED) {
                return Optional.empty();
            }
            moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), from, to, "return." + to.name()
                    .toLowerCase(Locale.ROOT), detail, extra);
            return Optional.of(to);
        });
    }

    /**
     * The exchange: a new order of the channel linked to the return ({@code <externalId>-<returnId>}), the units
     * received back at the same prices, paid by them (prepaid, reference the return): equal values, no payment.
     * Its stock is reserved by the reservation stage as for any new order.
     */
    private String exchangeOrder(Row row) {
        if (row.exchangeOrderId() != null) {
            return row.exchangeOrderId();
        }
        CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
        List<CanonicalOrder.Line> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        int n = 1;
        for (Line l : returns.lines(row.returnId())) {
            if (l.received() == 0) {
                continue;
            }
            CanonicalOrder.Line ordered = order.lines().stream().filter(o -> o.lineNo() != null && o.lineNo() == l.lineNo())
                    .findFirst().orElseThrow();
            BigDecimal amount = ReturnMoney.lineAmount(l.received(), ordered.quantity(), ordered.lineTotal());
            BigDecimal unit = ReturnMoney.lineAmount(1, ordered.quantity(), ordered.lineTotal());
            lines.add(new CanonicalOrder.Line(n++, l.sku(), ordered.description(), BigDecimal.valueOf(l.received()),
                    ordered.uom(), unit, amount, null, null));
            total = total.add(amount);
        }
        CanonicalOrder exchange = new CanonicalOrder(null, order.channel(), order.externalId() + "-" + row.returnId(),
                clock.instant().toString(), null, null, order.currency(), order.customer(), order.billTo(), order.shipTo(),
                lines, new CanonicalOrder.Totals(total, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, total),
                new CanonicalOrder.Payment("prepaid", null, "exchange " + row.returnId(), null), order.shippingMethod(),
                "exchange for return " + row.returnId() + " of order " + order.orderId(), null);
        CanonicalOrder.Source source = new CanonicalOrder.Source("return-exchange", "return",
                order.source() == null ? row.returnId() : order.source().receiptId(), row.returnId(), null);
        OrderService.Creation created = orders.create(exchange, order.channel(), source);
        String id = created.order().orderId();
        tx.executeWithoutResult(s -> returns.setExchangeOrder(row.returnId(), id));
        return id;
    }

    // ---- cancel

    /** {@code POST /api/returns/{id}/cancel}: REQUESTED or AUTHORIZED → CANCELLED; a bought label is voided. */
    public Map<String, Object> cancel(String returnId, String reason, Caller caller) {
        Row row = visible(returnId, caller);
        String why = reason == null || reason.isBlank() ? "cancelled by " + caller.keyId() : reason;
        tx.executeWithoutResult(s -> {
            orderRows.lockStatus(row.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            ReturnTransitions.requireAllowed(returnId, from, ReturnStatus.CANCELLED);
            moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), from, ReturnStatus.CANCELLED,
                    "return.cancelled", why, Map.of("reason", why));
            audit.record(caller, "return.cancel", returnId, from.name(), ReturnStatus.CANCELLED.name(), why);
        });
        labels.voidLabel(returnId, "return cancelled");
        return moves.view(returnId);
    }

    // ---- the jobs

    /** REFUNDED, EXCHANGED and CREDITED returns whose hold has passed become CLOSED; returns how many. */
    public int closeSettled() {
        int closed = 0;
        Instant before = clock.instant().minus(settings.closeAfter());
        for (ReturnStatus status : List.of(ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CREDITED)) {
            for (String id : returns.inStatus(status, before, 200)) {
                Boolean done = tx.execute(s -> {
                    Row row = returns.find(id).orElseThrow();
                    orderRows.lockStatus(row.orderId());
                    ReturnStatus from = returns.lockStatus(id).orElseThrow();
                    if (from != status) {
                        return false;
                    }
                    moves.transition(id, orderRows.find(row.orderId()).orElseThrow(), from, ReturnStatus.CLOSED, "return.closed",
                            "closed after " + from, Map.of());
                    return true;
                });
                closed += Boolean.TRUE.equals(done) ? 1 : 0;
            }
        }
        return closed;
    }

    /** RECEIVED returns not yet settled (the gateway was away): settled again. */
    public int settleReceived() {
        int settled = 0;
        for (String id : returns.inStatus(ReturnStatus.RECEIVED, clock.instant(), 200)) {
            try {
                settled += settle(id).isPresent() ? 1 : 0;
            } catch (RuntimeException e) {
                log.info("return {} not settled this time: {}", id, e.toString());
            }
        }
        return settled;
    }

    // ---- reading

    public Map<String, Object> get(String returnId, Caller caller) {
        visible(returnId, caller);
        return moves.view(returnId);
    }

    public List<Map<String, Object>> ofOrder(String orderId, Caller caller) {
        visibleOrder(orderId, caller);
        return returns.ofOrder(orderId).stream().map(r -> moves.view(r.returnId())).toList();
    }

    public List<ReturnRepository.Event> events(String returnId, Caller caller) {
        visible(returnId, caller);
        return returns.events(returnId);
    }

    // ---- shared

    private CanonicalOrder visibleOrder(String orderId, Caller caller) {
        return orderRows.find(orderId).filter(o -> caller.maySee(o.channel()))
                .orElseThrow(() -> notFound("orderId", orderId));
    }

    private Row visible(String returnId, Caller caller) {
        return returns.find(returnId).filter(r -> caller.maySee(r.channel()))
                .orElseThrow(() -> notFound("returnId", returnId));
    }

    /** The customer the CRM knows: {@code <channel>-<externalId>}, else {@code <channel>-<e-mail>} (as the CRM mapping). */
    static String customerKey(CanonicalOrder order) {
        CanonicalOrder.Customer c = order.customer();
        if (c != null && c.externalId() != null && !c.externalId().isBlank()) {
            return order.channel() + "-" + c.externalId().strip();
        }
        if (c != null && c.email() != null && !c.email().isBlank()) {
            return order.channel() + "-" + c.email().strip().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static String describe(List<Line> lines) {
        return String.join(", ", lines.stream().map(l -> "line " + l.lineNo() + " " + l.quantity() + " × " + l.sku()
                + (l.reason() == null ? "" : " (" + l.reason() + ")")).toList());
    }

    private static OrderHubException notFound(String field, String id) {
        return OrderHubException.field(Problem.NOT_FOUND, field, "no " + (field.equals("orderId") ? "order " : "return ") + id);
    }
}
