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
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.audit.AuditLog;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.inventory.ReservationService;
import io.orderhub.inventory.StockRepository;
import io.orderhub.inventory.WarehouseWork;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.PaymentService;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.security.Caller;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A sales channel's own refund (a Shopify {@code refunds/create} webhook, a WooCommerce refund) made into a return
 * of the hub: the channel's document is mapped by {@code mappings/refunds/<format>.jsonata} (routes/returns-api)
 * into {@code {refundId, orderRefs, currency, amount, shipping, lines: [{sku, quantity, restock, reason}]}}; this
 * finds the order, records the return with the units the channel took back (RESTOCK: back on the shelf of the
 * warehouse the order left from, then backorders FIFO; the others are refunded without coming back) and the
 * refund as done by the channel (a SUCCEEDED refund row of gateway {@code <channel>}, never sent to a gateway, and
 * counted against what the hub may still refund), then settles it: RECEIVED → REFUNDED, with the timeline and the
 * events {@code return.received} and {@code return.refunded} as for any return. One return per channel refund id:
 * the same refund again answers the stored return.
 */
@Component
public class ChannelRefunds {

    /** The channel formats whose refunds have a mapping ({@code mappings/refunds/<format>.jsonata}). */
    public static final List<String> FORMATS = List.of("shopify", "woocommerce");

    /** The outcome: the return and whether this call recorded it (201) or found it by the refund id (200). */
    public record Recorded(Map<String, Object> view, boolean created) {
    }

    record RefundLine(String sku, int quantity, boolean restock, String reason) {
    }

    record Refund(String refundId, List<String> orderRefs, String currency, BigDecimal amount, BigDecimal shipping,
                  String note, List<RefundLine> lines, String returnRef) {
    }

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final ChannelRegistry channels;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentService payments;
    private final StockRepository stock;
    private final WarehouseWork warehouses;
    private final ReservationService reservations;
    private final AuditLog audit;
    private final ReturnTransitions moves;
    private final ReturnSettlement settlement;

    ChannelRefunds(ReturnRepository returns, OrderRepository orderRows, ChannelRegistry channels, TransactionTemplate tx,
                   Clock clock, PaymentService payments, StockRepository stock, WarehouseWork warehouses,
                   ReservationService reservations, AuditLog audit, ReturnTransitions moves, ReturnSettlement settlement) {
        this.returns = returns;
        this.orderRows = orderRows;
        this.channels = channels;
        this.tx = tx;
        this.clock = clock;
        this.payments = payments;
        this.stock = stock;
        this.warehouses = warehouses;
        this.reservations = reservations;
        this.audit = audit;
        this.moves = moves;
        this.settlement = settlement;
    }

    /**
     * The mapping of a channel's refund document ({@code refunds/<format>.jsonata}) after checking that the channel
     * exists (404), that the caller speaks for it (a channel key: its own only; 403 otherwise) and that it may send
     * that format (422 {@code format}).
     */
    public String mapping(String channelId, String format, Caller caller) {
        Channel channel = channels.find(channelId).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "channel",
                "no channel '" + channelId + "'"));
        if (!caller.maySee(channelId)) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel", "this key may not send refunds of channel '"
                    + channelId + "'");
        }
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw OrderHubException.field(Problem.INVALID, "format", "refunds are mapped from " + FORMATS + ", not '"
                    + format + "'");
        }
        if (!channel.allowsFormat(f)) {
            throw OrderHubException.field(Problem.INVALID, "format", "channel '" + channelId + "' may not send the " + f
                    + " format; it allows " + channel.formats());
        }
        return "refunds/" + f + ".jsonata";
    }

    /**
     * A channel's return stored once, in one transaction: the order's status is locked; a return the same key already
     * names (a delivery retried, or raced by another instance) is taken as it is; else the order must be SHIPPED,
     * DELIVERED or COMPLETED (409 naming {@code orderRefs} otherwise; {@code what} begins its sentence) and
     * {@code insert} stores the new return at the given time and returns its id. Shared by channel refunds and
     * channel returns ({@link ChannelReturns}).
     */
    Stored storeOnce(CanonicalOrder order, String key, String what, Function<Instant, String> insert) {
        boolean[] created = {false};
        try {
            String id = tx.execute(s -> {
                OrderStatus status = orderRows.lockStatus(order.orderId()).orElseThrow();
                Optional<Row> raced = returns.byKey(order.orderId(), key);
                if (raced.isPresent()) {
                    return raced.get().returnId();
                }
                if (!ReturnService.RETURNABLE.contains(status)) {
                    throw OrderHubException.field(Problem.CONFLICT, "orderRefs", "order " + order.orderId() + " is "
                            + status + "; " + what + " a SHIPPED, DELIVERED or COMPLETED order");
                }
                String inserted = insert.apply(clock.instant());
                created[0] = true;
                return inserted;
            });
            return new Stored(id, created[0]);
        } catch (DuplicateKeyException e) {
            return new Stored(returns.byKey(order.orderId(), key).map(Row::returnId).orElseThrow(() -> e), false);
        }
    }

    /** A channel's return as {@link #storeOnce} left it: its id, and whether this call stored it. */
    record Stored(String returnId, boolean created) {
    }

    /** Records the channel's mapped refund as a settled return (see the class); the same refund id again: 200. */
    public Recorded record(String channel, String format, JsonNode mapped, Caller caller) {
        Refund refund = parse(mapped);
        CanonicalOrder order = order(channel, refund.orderRefs());
        String key = format.toLowerCase(Locale.ROOT) + "-refund-" + refund.refundId();
        Optional<Row> existing = returns.byKey(order.orderId(), key);
        if (existing.isPresent()) {
            return new Recorded(moves.view(existing.get().returnId()), false);
        }
        if (refund.returnRef() != null) {
            Optional<Row> theirs = returns.byKey(order.orderId(), ChannelReturns.key(format, refund.returnRef()));
            if (theirs.isPresent()) {
                return refundChannelReturn(channel, format.toLowerCase(Locale.ROOT), order, theirs.get(), refund, caller);
            }
        }
        List<Line> lines = new ArrayList<>();
        Map<Integer, Integer> restock = new LinkedHashMap<>();
        lines(order, refund.lines(), refund.note(), lines, restock);
        String warehouse = restock.isEmpty() ? null : warehouseOf(order);
        Set<String> restocked = new LinkedHashSet<>();
        Stored stored = storeOnce(order, key, "a channel's refund is taken as a return of", now -> {
            String id = returns.nextReturnId();
            String currency = refund.currency() == null ? order.currency() : refund.currency();
            returns.insert(new Row(id, order.orderId(), channel, ReturnStatus.RECEIVED, Resolution.REFUND, key,
                    caller.keyId(), order.currency(), null, null, now, now), lines, now);
            Map<String, Object> receipt = receiveRestocked(id, order, lines, restock, warehouse, channel, refund, restocked);
            Map<String, Object> money = recordMoney(order, id, channel, refund, currency);
            String detail = "refunded by " + channel + " (" + format + " refund " + refund.refundId() + "): "
                    + refund.amount().stripTrailingZeros().toPlainString() + " " + currency + " for "
                    + String.join(", ", lines.stream().map(l -> "line " + l.lineNo() + " " + l.quantity() + " × "
                    + l.sku() + (restock.containsKey(l.lineNo()) ? " restocked at " + warehouse : " not taken back"))
                    .toList());
            returns.addEvent(id, new ReturnRepository.Event(now, "return.received", null, ReturnStatus.RECEIVED, detail));
            moves.publish(id, order, "return.received", null, ReturnStatus.RECEIVED, detail,
                    Map.of("receipt", receipt, "refund", money, "channelRefund", Map.of("format", format,
                            "refundId", refund.refundId())));
            audit.record(caller, "return.channel_refund", id, null, ReturnStatus.RECEIVED.name(), detail);
            return id;
        });
        String returnId = stored.returnId();
        if (!stored.created()) {
            return new Recorded(moves.view(returnId), false);
        }
        ReturnReceipts.afterReceipt(reservations, settlement, returnId, restocked);
        return new Recorded(moves.view(returnId), true);
    }

    /**
     * The lines the channel's refund restocks, received into the return and put back on hand at {@code warehouse}
     * (their SKUs added to {@code restocked}); returns the receipt as {@code return.received} carries it.
     */
    private Map<String, Object> receiveRestocked(String returnId, CanonicalOrder order, List<Line> lines,
                                                 Map<Integer, Integer> restock, String warehouse, String channel,
                                                 Refund refund, Set<String> restocked) {
        List<Map<String, Object>> received = new ArrayList<>();
        for (Map.Entry<Integer, Integer> r : restock.entrySet()) {
            Line line = lines.stream().filter(l -> l.lineNo() == r.getKey()).findFirst().orElseThrow();
            returns.receive(returnId, r.getKey(), r.getValue(), 0, 0);
            stock.restock(line.sku(), warehouse, r.getValue(), order.orderId(), "return " + returnId + " line "
                    + r.getKey() + " restocked by " + channel + " refund " + refund.refundId());
            restocked.add(line.sku());
            received.add(Map.of("lineNo", r.getKey(), "quantity", r.getValue(), "condition", "RESTOCK"));
        }
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("warehouse", warehouse);
        receipt.put("lines", received);
        return receipt;
    }

    /** The channel's refund recorded as done against the return: the refund row and what the events carry of it. */
    private Map<String, Object> recordMoney(CanonicalOrder order, String returnId, String channel, Refund refund,
                                            String currency) {
        returns.setRefundAmount(returnId, refund.amount(), refund.shipping());
        var row = payments.recordChannelRefund(order.orderId(), returnId, channel, refund.amount(), currency,
                refund.refundId());
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", refund.amount());
        money.put("currency", currency);
        money.put("shipping", refund.shipping());
        money.put("method", row.method());
        money.put("gateway", row.gateway());
        money.put("refundId", refund.refundId());
        return money;
    }

    /**
     * The channel refunds a return it sent the hub before (a Shopify refund naming its return, which the
     * {@code returns/*} webhooks made a return of the hub, {@link ChannelReturns}): that return's units come back
     * (RESTOCK as the refund says) and its refund is recorded as done, AUTHORIZED or IN_TRANSIT → RECEIVED → REFUNDED.
     * A return already received or settled answers as it is (200); a REQUESTED, REJECTED or CANCELLED one is 409.
     */
    private Recorded refundChannelReturn(String channel, String format, CanonicalOrder order, Row held, Refund refund,
                                         Caller caller) {
        String returnId = held.returnId();
        if (SETTLED_OR_RECEIVED.contains(held.status())) {
            return new Recorded(moves.view(returnId), false);
        }
        List<Line> lines = returns.lines(returnId);
        Map<Integer, Integer> taken = new LinkedHashMap<>();
        Map<Integer, Integer> restock = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < refund.lines().size(); i++) {
            RefundLine r = refund.lines().get(i);
            int wanted = r.quantity();
            for (Line l : lines) {
                if (wanted == 0) {
                    break;
                }
                if (!r.sku().equals(l.sku())) {
                    continue;
                }
                int take = Math.min(l.quantity() - taken.getOrDefault(l.lineNo(), 0), wanted);
                if (take <= 0) {
                    continue;
                }
                wanted -= take;
                taken.merge(l.lineNo(), take, Integer::sum);
                if (r.restock()) {
                    restock.merge(l.lineNo(), take, Integer::sum);
                }
            }
            if (wanted > 0) {
                boolean known = lines.stream().anyMatch(l -> r.sku().equals(l.sku()));
                errors.add(known
                        ? FieldError.of("/lines/" + i + "/quantity", r.sku() + ": " + r.quantity() + " refunded, but return "
                        + returnId + " holds only " + (r.quantity() - wanted))
                        : FieldError.of("/lines/" + i + "/sku", "return " + returnId + " has no line of " + r.sku()));
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the channel's refund has " + errors.size() + " problem(s)", errors);
        }
        String warehouse = restock.isEmpty() ? null : warehouseOf(order);
        Set<String> restocked = new LinkedHashSet<>();
        boolean moved = Boolean.TRUE.equals(tx.execute(s -> {
            orderRows.lockStatus(order.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            if (SETTLED_OR_RECEIVED.contains(from)) {
                return false;
            }
            ReturnTransitions.requireAllowed(returnId, from, ReturnStatus.RECEIVED);
            String currency = refund.currency() == null ? order.currency() : refund.currency();
            Map<String, Object> receipt = receiveRestocked(returnId, order, lines, restock, warehouse, channel, refund,
                    restocked);
            Map<String, Object> money = recordMoney(order, returnId, channel, refund, currency);
            String detail = "refunded by " + channel + " (" + format + " refund " + refund.refundId() + " of its return "
                    + refund.returnRef() + "): " + refund.amount().stripTrailingZeros().toPlainString() + " " + currency
                    + "; " + (restock.isEmpty() ? "no unit restocked" : restock.entrySet().stream().map(e -> "line "
                    + e.getKey() + " " + e.getValue() + " restocked at " + warehouse).toList());
            moves.transition(returnId, order, from, ReturnStatus.RECEIVED, "return.received", detail,
                    Map.of("receipt", receipt, "refund", money, "channelRefund", Map.of("format", format,
                            "refundId", refund.refundId())));
            audit.record(caller, "return.channel_refund", returnId, from.name(), ReturnStatus.RECEIVED.name(), detail);
            return true;
        }));
        if (moved) {
            ReturnReceipts.afterReceipt(reservations, settlement, returnId, restocked);
        }
        return new Recorded(moves.view(returnId), moved);
    }

    private static final Set<ReturnStatus> SETTLED_OR_RECEIVED = java.util.EnumSet.of(ReturnStatus.RECEIVED,
            ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CREDITED, ReturnStatus.CLOSED);

    // ---- the mapped refund

    static Refund parse(JsonNode m) {
        List<FieldError> errors = new ArrayList<>();
        String refundId = text(m.path("refundId"));
        if (refundId == null) {
            errors.add(FieldError.of("/refundId", "the mapping gave no refund id"));
        } else if (refundId.length() > 150) {
            errors.add(FieldError.of("/refundId", "is longer than 150 characters"));
        }
        List<String> refs = new ArrayList<>();
        for (JsonNode r : m.path("orderRefs")) {
            String t = text(r);
            if (t != null) {
                refs.add(t);
            }
        }
        if (refs.isEmpty()) {
            errors.add(FieldError.of("/orderRefs", "the mapping named no order"));
        }
        BigDecimal amount = decimal(m.path("amount"));
        if (amount == null || amount.signum() < 0) {
            errors.add(FieldError.of("/amount", "must be an amount of 0 or more"));
        }
        BigDecimal shipping = decimal(m.path("shipping"));
        List<RefundLine> lines = new ArrayList<>();
        JsonNode ls = m.path("lines");
        for (int i = 0; i < ls.size(); i++) {
            JsonNode l = ls.get(i);
            String sku = text(l.path("sku"));
            BigDecimal q = decimal(l.path("quantity"));
            if (sku == null) {
                errors.add(FieldError.of("/lines/" + i + "/sku", "the refunded line names no item"));
            }
            if (q == null || q.signum() <= 0 || q.stripTrailingZeros().scale() > 0) {
                errors.add(FieldError.of("/lines/" + i + "/quantity", "must be a whole number of units above 0"));
                continue;
            }
            lines.add(new RefundLine(sku, q.intValueExact(), l.path("restock").asBoolean(false), text(l.path("reason"))));
        }
        if (ls.isEmpty() && errors.isEmpty()) {
            errors.add(FieldError.of("/lines", "the refund has no refunded items: a money-only refund is not a return"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the channel's refund has " + errors.size() + " problem(s)", errors);
        }
        String currency = text(m.path("currency"));
        return new Refund(refundId, refs, currency, amount, shipping == null ? BigDecimal.ZERO : shipping,
                text(m.path("note")), lines, text(m.path("returnRef")));
    }

    /** The channel's order one of the references names: its external id, else the channel's id in its payment reference. */
    CanonicalOrder order(String channel, List<String> refs) {
        for (String ref : refs) {
            Optional<CanonicalOrder> o = orderRows.findByExternalId(channel, ref);
            if (o.isPresent()) {
                return o.get();
            }
        }
        for (String ref : refs) {
            Optional<String> id = returns.orderByPaymentReference(channel, ref);
            if (id.isPresent()) {
                return orderRows.find(id.get()).orElseThrow();
            }
        }
        throw OrderHubException.field(Problem.NOT_FOUND, "orderRefs", "channel '" + channel + "' has no order " + refs
                + " (as external id or payment reference)");
    }

    /** The refund's units on the order's lines by SKU, each line at most what was shipped minus returned. */
    void lines(CanonicalOrder order, List<RefundLine> wantedLines, String note, List<Line> out,
               Map<Integer, Integer> restock) {
        Map<Integer, Integer> returned = new LinkedHashMap<>(returns.returnedByLine(order.orderId()));
        Map<Integer, Line> byLine = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < wantedLines.size(); i++) {
            RefundLine r = wantedLines.get(i);
            int wanted = r.quantity();
            for (CanonicalOrder.Line line : order.lines()) {
                if (wanted == 0) {
                    break;
                }
                if (line.lineNo() == null || !r.sku().equals(line.sku())) {
                    continue;
                }
                int shipped = line.quantity() == null ? 0 : line.quantity().intValue();
                int left = shipped - returned.getOrDefault(line.lineNo(), 0);
                int take = Math.min(left, wanted);
                if (take <= 0) {
                    continue;
                }
                wanted -= take;
                returned.merge(line.lineNo(), take, Integer::sum);
                Line before = byLine.get(line.lineNo());
                int q = take + (before == null ? 0 : before.quantity());
                byLine.put(line.lineNo(), new Line(line.lineNo(), line.sku(), q, r.reason() == null ? note : r.reason(),
                        ReturnMoney.lineAmount(1, line.quantity(), line.lineTotal()),
                        ReturnMoney.lineAmount(q, line.quantity(), line.lineTotal()), 0, 0, 0));
                if (r.restock()) {
                    restock.merge(line.lineNo(), take, Integer::sum);
                }
            }
            if (wanted > 0) {
                boolean known = order.lines().stream().anyMatch(l -> r.sku().equals(l.sku()));
                errors.add(known
                        ? FieldError.of("/lines/" + i + "/quantity", r.sku() + ": " + r.quantity() + " refunded, but only "
                        + (r.quantity() - wanted) + " of order " + order.orderId() + " are shipped and not returned yet")
                        : FieldError.of("/lines/" + i + "/sku", "order " + order.orderId() + " has no line of " + r.sku()));
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the channel's document has " + errors.size() + " problem(s)", errors);
        }
        out.addAll(byLine.values());
    }

    String warehouseOf(CanonicalOrder order) {
        return warehouses.ofOrder(order.orderId()).stream().map(WarehouseWork.Shipment::warehouse).findFirst()
                .orElseThrow(() -> OrderHubException.field(Problem.CONFLICT, "orderRefs", "order " + order.orderId()
                        + " has no shipment: restocked units have no warehouse to go back to"));
    }

    private static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        String t = n.asText().strip();
        return t.isEmpty() ? null : t;
    }

    private static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        try {
            return new BigDecimal(n.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
