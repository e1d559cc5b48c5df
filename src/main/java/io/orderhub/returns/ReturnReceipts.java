package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import io.orderhub.payment.PaymentService;
import io.orderhub.returns.ReturnLifecycle.Condition;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.returns.ReturnService.customerKey;
import static io.orderhub.returns.ReturnService.notFound;

/**
 * The receipt of a return at the warehouse: the units counted back by condition move stock (RESTOCK back on the
 * shelf, DAMAGED into quarantine, SCRAP nowhere), and the refund or store credit is recorded in the same
 * transaction; the return is settled right after ({@link ReturnSettlement}).
 */
@Component
class ReturnReceipts {

    private static final Logger log = LoggerFactory.getLogger(ReturnReceipts.class);

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentService payments;
    private final StockRepository stock;
    private final CatalogueRepository catalogue;
    private final ReservationService reservations;
    private final ReturnProperties settings;
    private final AuditLog audit;
    private final ReturnTransitions moves;
    private final ReturnSettlement settlement;
    private final ReturnExchanges exchanges;

    ReturnReceipts(ReturnRepository returns, OrderRepository orderRows, TransactionTemplate tx, Clock clock,
                   PaymentService payments, StockRepository stock, CatalogueRepository catalogue,
                   ReservationService reservations, ReturnProperties settings, AuditLog audit, ReturnTransitions moves,
                   ReturnSettlement settlement, ReturnExchanges exchanges) {
        this.exchanges = exchanges;
        this.returns = returns;
        this.orderRows = orderRows;
        this.tx = tx;
        this.clock = clock;
        this.payments = payments;
        this.stock = stock;
        this.catalogue = catalogue;
        this.reservations = reservations;
        this.settings = settings;
        this.audit = audit;
        this.moves = moves;
        this.settlement = settlement;
    }

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
        afterReceipt(reservations, settlement, returnId, restocked);
        return moves.view(returnId);
    }

    /**
     * In the receipt's transaction: the refund row, the store credit, or an exchange's difference (its charge or
     * refund row; the exchange order is made when settled).
     */
    private Map<String, Object> recordMoney(Row row, CanonicalOrder order) {
        if (row.resolution() == Resolution.EXCHANGE) {
            return exchanges.recordDifference(row, order);
        }
        List<Line> lines = returns.lines(row.returnId());
        List<ReturnMoney.Unit> units = new ArrayList<>();
        for (Line l : lines) {
            CanonicalOrder.Line ordered = order.lines().stream().filter(o -> o.lineNo() != null && o.lineNo() == l.lineNo())
                    .findFirst().orElseThrow();
            units.add(ReturnMoney.unit(order, ordered, l.received()));
        }
        Map<Integer, Integer> asked = returns.returnedByLine(row.orderId());
        boolean everyUnitBack = order.lines().stream().allMatch(l -> l.quantity() == null
                || asked.getOrDefault(l.lineNo(), 0) >= l.quantity().intValue())
                && lines.stream().allMatch(l -> l.received() == l.quantity());
        ReturnMoney.Breakdown money = ReturnMoney.refund(units, order.totals() == null ? null : order.totals().shipping(),
                ReturnMoney.shippingTax(order), settings.rules(row.channel()), everyUnitBack, returns.shippingRefunded(row.orderId(), row.returnId()));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> breakdown = new LinkedHashMap<>();
        breakdown.put("goods", money.goods());
        breakdown.put("orderDiscount", money.orderDiscount());
        breakdown.put("tax", money.tax());
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

    private Row visible(String returnId, Caller caller) {
        return returns.find(returnId).filter(r -> caller.maySee(r.channel()))
                .orElseThrow(() -> notFound("returnId", returnId));
    }

    /**
     * After a receipt has committed (the operator's, or a channel's own refund): the backorders of the restocked SKUs
     * are served oldest first, then the return is settled. A failure of either is logged and left to the returns job.
     */
    static void afterReceipt(ReservationService reservations, ReturnSettlement settlement, String returnId,
                             java.util.Collection<String> restockedSkus) {
        for (String sku : restockedSkus) {
            try {
                reservations.confirmBackorders(sku);
            } catch (RuntimeException e) {
                log.warn("backorders of {} not confirmed after return {}: {}", sku, returnId, e.toString());
            }
        }
        try {
            settlement.settle(returnId);
        } catch (RuntimeException e) {
            log.warn("return {} not settled now, the returns job tries again: {}", returnId, e.toString());
        }
    }
}
