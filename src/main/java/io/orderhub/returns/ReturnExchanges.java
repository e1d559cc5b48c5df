package io.orderhub.returns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.inventory.CatalogueRepository;
import io.orderhub.inventory.Product;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderService;
import io.orderhub.payment.ExchangeDifferences;
import io.orderhub.payment.Payment;
import io.orderhub.payment.PaymentService;
import io.orderhub.returns.ReturnRepository.ExchangeItem;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exchanges (resolution EXCHANGE): the replacement goods priced when the return is requested, the difference
 * between them and the units received back recorded with the receipt, settled once, and the linked order made.
 * <ul>
 *   <li>No {@code exchange} items: the received units themselves, at the same prices; no money moves.</li>
 *   <li>Items: a SKU of the original order costs what was paid for it there (its line total over its quantity),
 *       any other SKU its catalogue price in the order's currency (none: 422 naming the item).</li>
 *   <li>The difference is the replacement's value less the received units' value (each at its line's price; no
 *       shipping, no restocking fee). Above zero it is charged once on the original order
 *       ({@link ExchangeDifferences}); below zero refunded once through the original order's gateway, capped by
 *       what was captured (the return's refund key, as for REFUND returns); zero moves no money.</li>
 * </ul>
 * The exchange order is made only once the difference is settled: a charge still waiting leaves the return
 * RECEIVED for the returns job; a declined one leaves it RECEIVED with the reason in its timeline; OPS may then reject it
 * ({@code POST /api/returns/{id}/reject}).
 */
@Component
class ReturnExchanges {

    private final ReturnRepository returns;
    private final CatalogueRepository catalogue;
    private final PaymentService payments;
    private final ExchangeDifferences differences;
    private final OrderService orders;
    private final ReturnTransitions moves;
    private final TransactionTemplate tx;
    private final Clock clock;

    ReturnExchanges(ReturnRepository returns, CatalogueRepository catalogue, PaymentService payments,
                    ExchangeDifferences differences, OrderService orders, ReturnTransitions moves, TransactionTemplate tx,
                    Clock clock) {
        this.returns = returns;
        this.catalogue = catalogue;
        this.payments = payments;
        this.differences = differences;
        this.orders = orders;
        this.moves = moves;
        this.tx = tx;
        this.clock = clock;
    }

    /** Prices the items a request names; 422 naming each item that has no price (unknown SKU, other currency). */
    List<ExchangeItem> price(CanonicalOrder order, List<ReturnRequests.ExchangeItem> asked) {
        if (asked.isEmpty()) {
            return List.of();
        }
        Map<String, Product> products = catalogue.products(asked.stream().map(ReturnRequests.ExchangeItem::sku).toList());
        List<FieldError> errors = new ArrayList<>();
        List<ExchangeItem> out = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            ReturnRequests.ExchangeItem a = asked.get(i);
            CanonicalOrder.Line ordered = order.lines().stream().filter(l -> a.sku().equals(l.sku()) && l.quantity() != null
                    && l.quantity().signum() > 0 && l.lineTotal() != null).findFirst().orElse(null);
            Product product = products.get(a.sku());
            BigDecimal unit;
            String description;
            if (ordered != null) {
                unit = ordered.lineTotal().divide(ordered.quantity(), 6, RoundingMode.HALF_UP);
                description = ordered.description();
            } else if (product == null) {
                errors.add(FieldError.of("/exchange/" + i + "/sku", "SKU " + a.sku() + " is not in the catalogue"));
                continue;
            } else if (product.unitPrice() == null || !order.currency().equalsIgnoreCase(product.currency())) {
                errors.add(FieldError.of("/exchange/" + i + "/sku", "SKU " + a.sku() + " has no catalogue price in "
                        + order.currency() + " (the order's currency)" + (product.unitPrice() == null ? ""
                        : "; its price is in " + product.currency())));
                continue;
            } else {
                unit = product.unitPrice();
                description = product.description();
            }
            out.add(new ExchangeItem(i + 1, a.sku(), description, a.quantity(), unit));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the return request has " + errors.size() + " problem(s)", errors);
        }
        return out;
    }

    /** The value of the units received back, each at its order line's price. */
    static BigDecimal receivedValue(List<Line> lines, CanonicalOrder order) {
        BigDecimal sum = BigDecimal.ZERO.setScale(2);
        for (Line l : lines) {
            CanonicalOrder.Line ordered = order.lines().stream().filter(o -> o.lineNo() != null && o.lineNo() == l.lineNo())
                    .findFirst().orElseThrow();
            sum = sum.add(ReturnMoney.lineAmount(l.received(), ordered.quantity(), ordered.lineTotal()));
        }
        return sum;
    }

    /** The replacement's value: its items, or (none named) the received units themselves. */
    static BigDecimal replacementValue(List<ExchangeItem> items, BigDecimal received) {
        if (items.isEmpty()) {
            return received;
        }
        return items.stream().map(ExchangeItem::amount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    /**
     * In the receipt's transaction (the order's row locked): the difference recorded on the return, and its charge
     * or refund row written with its key. Returns what the return.received event carries about it.
     */
    Map<String, Object> recordDifference(Row row, CanonicalOrder order) {
        List<ExchangeItem> items = returns.exchangeItems(row.returnId());
        BigDecimal received = receivedValue(returns.lines(row.returnId()), order);
        BigDecimal replacement = replacementValue(items, received);
        BigDecimal difference = replacement.subtract(received);
        returns.setExchangeDifference(row.returnId(), difference);
        Map<String, Object> exchange = new LinkedHashMap<>();
        exchange.put("received", received);
        exchange.put("replacement", replacement);
        exchange.put("difference", difference);
        exchange.put("currency", order.currency());
        if (difference.signum() > 0) {
            Payment charge = differences.record(order, row.returnId(), difference);
            exchange.put("charge", Map.of("kind", charge.kind(), "gateway", charge.gateway(), "amount", charge.amount(),
                    "status", charge.status()));
        } else if (difference.signum() < 0) {
            PaymentService.ReturnRefund refund = payments.recordReturnRefund(row.orderId(), row.returnId(), difference.negate());
            returns.setRefundAmount(row.returnId(), refund.amount(), BigDecimal.ZERO);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("amount", refund.amount());
            if (refund.amount().compareTo(difference.negate()) < 0) {
                r.put("cappedFrom", difference.negate());
            }
            if (refund.row() != null) {
                r.put("gateway", refund.row().gateway());
            }
            exchange.put("refund", r);
        }
        return Map.of("exchange", exchange);
    }

    /**
     * Settles the recorded difference: the charge sent (or found sent), the refund sent (or found sent). Empty while
     * it waits (gateway away) or after the gateway said no (noted in the return's timeline the first time); else what
     * the return.exchanged event carries about the money (nothing for equal values).
     */
    Optional<Map<String, Object>> settleDifference(Row row) {
        BigDecimal difference = returns.exchangeDifference(row.returnId()).orElse(BigDecimal.ZERO);
        String returnId = row.returnId();
        if (difference.signum() > 0) {
            Payment charge = differences.find(row.orderId(), returnId).orElseThrow();
            if (Payment.PENDING.equals(charge.status())) {
                charge = differences.send(row.orderId(), returnId);
                if (Payment.DECLINED.equals(charge.status()) || Payment.FAILED.equals(charge.status())) {
                    moves.note(returnId, "return.exchange_charge_failed", "the difference of " + money(charge.amount(),
                            charge.currency()) + " was " + charge.status().toLowerCase(java.util.Locale.ROOT) + " by "
                            + charge.gateway() + ": " + charge.declineCode() + ": " + charge.message()
                            + "; the exchange order is not made (OPS may reject the return)");
                }
            }
            if (!Payment.SUCCEEDED.equals(charge.status())) {
                return Optional.empty();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("amount", charge.amount());
            m.put("currency", charge.currency());
            m.put("kind", charge.kind());
            m.put("gateway", charge.gateway());
            if (charge.intentId() != null) {
                m.put("intentId", charge.intentId());
            }
            return Optional.of(Map.of("differenceCharged", m));
        }
        if (difference.signum() < 0) {
            return ReturnSettlement.sentRefund(payments, moves, row, "refund of the exchange's difference")
                    .map(r -> Map.of("differenceRefunded", r));
        }
        return Optional.of(Map.of());
    }

    /** True for an exchange whose difference charge the gateway declined or refused (it may then be rejected). */
    boolean differenceRefused(Row row) {
        return row.resolution() == ReturnLifecycle.Resolution.EXCHANGE && differences.find(row.orderId(), row.returnId())
                .filter(p -> Payment.CHARGE.equals(p.kind()))
                .map(p -> Payment.DECLINED.equals(p.status()) || Payment.FAILED.equals(p.status())).orElse(false);
    }

    /**
     * The exchange: a new order of the channel linked to the return ({@code <externalId>-<returnId>}), its lines the
     * named items (or the units received back, at the same prices), paid by the return (prepaid, reference the
     * return; a difference was settled on the original order). Its stock is reserved by the reservation stage as for
     * any new order. Found again by its external id when made before.
     */
    String exchangeOrder(Row row, CanonicalOrder order) {
        if (row.exchangeOrderId() != null) {
            return row.exchangeOrderId();
        }
        List<CanonicalOrder.Line> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        int n = 1;
        List<ExchangeItem> items = returns.exchangeItems(row.returnId());
        if (items.isEmpty()) {
            for (Line l : returns.lines(row.returnId())) {
                if (l.received() == 0) {
                    continue;
                }
                CanonicalOrder.Line ordered = order.lines().stream().filter(o -> o.lineNo() != null
                        && o.lineNo() == l.lineNo()).findFirst().orElseThrow();
                BigDecimal amount = ReturnMoney.lineAmount(l.received(), ordered.quantity(), ordered.lineTotal());
                BigDecimal unit = ReturnMoney.lineAmount(1, ordered.quantity(), ordered.lineTotal());
                lines.add(new CanonicalOrder.Line(n++, l.sku(), ordered.description(), BigDecimal.valueOf(l.received()),
                        ordered.uom(), unit, amount, null, null));
                total = total.add(amount);
            }
        } else {
            for (ExchangeItem i : items) {
                lines.add(new CanonicalOrder.Line(n++, i.sku(), i.description(), BigDecimal.valueOf(i.quantity()), null,
                        i.unitPrice(), i.amount(), null, null));
                total = total.add(i.amount());
            }
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

    /** The exchange part of a return's view: the items and, once received, the difference; null for no items. */
    static Map<String, Object> view(ReturnRepository returns, Row row) {
        List<ExchangeItem> items = returns.exchangeItems(row.returnId());
        Optional<BigDecimal> difference = returns.exchangeDifference(row.returnId());
        if (items.isEmpty() && difference.isEmpty()) {
            return null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("items", items.stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sku", i.sku());
            m.put("quantity", i.quantity());
            m.put("unitPrice", i.unitPrice());
            m.put("amount", i.amount());
            return m;
        }).toList());
        difference.ifPresent(d -> v.put("difference", Map.of("amount", d, "currency", row.currency())));
        return v;
    }

    /** An amount as its currency writes it: 15.00 EUR, 1200 JPY. */
    private static String money(BigDecimal amount, String currency) {
        return amount.setScale(io.orderhub.payment.MinorUnits.decimals(currency), RoundingMode.HALF_UP).toPlainString()
                + " " + currency;
    }
}
