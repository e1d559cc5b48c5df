package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.audit.AuditLog;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderStatus;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.security.Caller;
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
    /** Statuses the reject endpoint takes a return from (the table also allows RECEIVED; the endpoint does not). */
    static final Set<ReturnStatus> REJECTABLE = Set.of(ReturnStatus.REQUESTED, ReturnStatus.AUTHORIZED);

    /** A request's outcome: the return and whether this call created it (201) or found it by its key (200). */
    public record Requested(Map<String, Object> view, boolean created) {
    }

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ReturnLabels labels;
    private final AuditLog audit;
    private final ReturnTransitions moves;
    private final ReturnReceipts receipts;
    private final ReturnSettlement settlement;
    private final ReturnExchanges exchanges;

    public ReturnService(ReturnRepository returns, OrderRepository orderRows, TransactionTemplate tx, Clock clock,
                         ReturnLabels labels, AuditLog audit, ReturnTransitions moves, ReturnReceipts receipts,
                         ReturnSettlement settlement, ReturnExchanges exchanges) {
        this.exchanges = exchanges;
        this.returns = returns;
        this.orderRows = orderRows;
        this.tx = tx;
        this.clock = clock;
        this.labels = labels;
        this.audit = audit;
        this.moves = moves;
        this.receipts = receipts;
        this.settlement = settlement;
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
        List<ReturnRepository.ExchangeItem> replacement = exchanges.price(order, request.exchange());
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
                returns.insertExchangeItems(returnId, replacement);
                returns.insertLabel(returnId, labels.account(), now);
                String detail = "requested by " + caller.keyId() + ": " + describe(lines) + "; resolution "
                        + request.resolution() + (replacement.isEmpty() ? "" : " for " + replacement.stream()
                        .map(i -> i.quantity() + " x " + i.sku()).toList());
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

    // ---- receipt at the warehouse and settling: ReturnReceipts, ReturnSettlement

    /**
     * {@code POST /api/returns/{id}/receipt} (OPS): the units the warehouse counted back, by condition; see
     * {@link ReturnReceipts#receive}.
     */
    public Map<String, Object> receive(String returnId, JsonNode body, Caller caller) {
        return receipts.receive(returnId, body, caller);
    }

    /** Takes a RECEIVED return to REFUNDED, CREDITED or EXCHANGED: see {@link ReturnSettlement#settle}. */
    public Optional<ReturnStatus> settle(String returnId) {
        return settlement.settle(returnId);
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

    // ---- reject

    /**
     * {@code POST /api/returns/{id}/reject} (OPS, ADMIN) with a required reason: a REQUESTED or AUTHORIZED return
     * becomes REJECTED (timeline entry and outbox event {@code return.rejected}); a bought label is voided at the
     * carrier. A RECEIVED exchange whose difference the gateway declined may be rejected too (the units stay where the
     * receipt put them; no exchange order is made). Any other status is 409 (a return whose units the warehouse has
     * counted is settled, not rejected).
     */
    public Map<String, Object> reject(String returnId, String reason, Caller caller) {
        Row row = visible(returnId, caller);
        if (reason == null || reason.isBlank()) {
            throw OrderHubException.field(Problem.INVALID, "/reason", "is required: say why the return is rejected");
        }
        String why = reason.strip();
        ReturnStatus rejectedFrom = tx.execute(s -> {
            orderRows.lockStatus(row.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            if (!REJECTABLE.contains(from) && !(from == ReturnStatus.RECEIVED && exchanges.differenceRefused(row))) {
                throw OrderHubException.field(Problem.CONFLICT, "returnId", "return " + returnId + " is " + from
                        + " and cannot become REJECTED; only REQUESTED and AUTHORIZED returns are rejected, and RECEIVED"
                        + " exchanges whose difference the gateway declined");
            }
            moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), from, ReturnStatus.REJECTED,
                    "return.rejected", "rejected by " + caller.keyId() + ": " + why, Map.of("reason", why));
            audit.record(caller, "return.reject", returnId, from.name(), ReturnStatus.REJECTED.name(), why);
            return from;
        });
        if (REJECTABLE.contains(rejectedFrom)) {
            labels.voidLabel(returnId, "return rejected");
        }
        return moves.view(returnId);
    }

    // ---- the jobs

    /** REFUNDED, EXCHANGED and CREDITED returns whose hold has passed become CLOSED; returns how many. */
    public int closeSettled() {
        return settlement.closeSettled();
    }

    /** RECEIVED returns not yet settled (the gateway was away): settled again. */
    public int settleReceived() {
        return settlement.settleReceived();
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

    static OrderHubException notFound(String field, String id) {
        return OrderHubException.field(Problem.NOT_FOUND, field, "no " + (field.equals("orderId") ? "order " : "return ") + id);
    }
}
