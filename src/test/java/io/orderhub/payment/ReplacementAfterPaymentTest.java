package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.RevisionRefused;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 18, a replacement or change of an order after payment (until it is allocated): the payment is adjusted by
 * {@link PaymentRevision} inside the replacement's transaction. A lower total refunds the over-capture once, through
 * the charge's gateway; a higher one is charged to the card only (another method is refused naming both amounts); a
 * document sent again refunds nothing more.
 */
class ReplacementAfterPaymentTest extends PaymentTestSupport {

    @Autowired
    PaymentRevision revision;
    @Autowired
    OrderRepository orders;
    @Autowired
    TransactionTemplate tx;

    private static CanonicalOrder withQuantity(CanonicalOrder c, int quantity, String receiptId) {
        BigDecimal total = new BigDecimal("10.00").multiply(BigDecimal.valueOf(quantity));
        CanonicalOrder.Line l = c.lines().get(0);
        CanonicalOrder.Line line = new CanonicalOrder.Line(l.lineNo(), l.sku(), l.description(), BigDecimal.valueOf(quantity),
                l.uom(), l.unitPrice(), total, null, l.buyerSku());
        return new CanonicalOrder(c.orderId(), c.channel(), c.externalId(), c.orderDate(), c.receivedAt(), c.status(),
                c.currency(), c.customer(), c.billTo(), c.shipTo(), List.of(line),
                new CanonicalOrder.Totals(total, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, total), c.payment(),
                c.shippingMethod(), c.notes(), new CanonicalOrder.Source("x12-850", "api", receiptId, c.externalId(), 1),
                c.discounts(), c.charges(), c.provenance());
    }

    @Test
    void aLowerTotalAfterPaymentRefundsTheOverCaptureOnceAndAHigherOneIsRefusedNamingBothAmounts() {
        String sku = product(10);
        String orderId = submit(MARKETPLACE_KEY, orderFor(sku, 3, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");
        CanonicalOrder current = orders.find(orderId).orElseThrow();

        // 30.00 captured; the replacement is for 1 unit (10.00): 20.00 goes back through the charge's gateway
        tx.executeWithoutResult(s -> revision.revise(current, withQuantity(current, 1, "RCPT-LOWER")));

        String key = PaymentRevision.revisionRefundKey(orderId, "RCPT-LOWER");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(payments(orderId))
                .filteredOn(p -> "REFUND".equals(p.get("kind"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("status", "SUCCEEDED").containsEntry("idempotency_key", key)
                        .satisfies(row -> assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo("20.00"))));
        assertThat(sandboxCount(orderId, "/v1/refunds/")).isEqualTo(1);

        // the same document again: nothing more is refunded (same key); the held amount is now 10.00
        tx.executeWithoutResult(s -> revision.revise(current, withQuantity(current, 1, "RCPT-LOWER")));
        CanonicalOrder held10 = withQuantity(current, 1, "RCPT-SAME");
        tx.executeWithoutResult(s -> revision.revise(held10, withQuantity(current, 1, "RCPT-SAME")));
        assertThat(payments(orderId)).filteredOn(p -> "REFUND".equals(p.get("kind"))).hasSize(1);
        assertThat(sandboxCount(orderId, "/v1/refunds/")).isEqualTo(1);

        // more than is held is charged (ReplacementDifferenceChargeTest), to the card only: another method is refused
        CanonicalOrder byInvoice = withQuantity(current, 2, "RCPT-HIGHER");
        CanonicalOrder higherByInvoice = new CanonicalOrder(byInvoice.orderId(), byInvoice.channel(), byInvoice.externalId(),
                byInvoice.orderDate(), byInvoice.receivedAt(), byInvoice.status(), byInvoice.currency(), byInvoice.customer(),
                byInvoice.billTo(), byInvoice.shipTo(), byInvoice.lines(), byInvoice.totals(),
                new CanonicalOrder.Payment("invoice", null, null, "NET30"), byInvoice.shippingMethod(), byInvoice.notes(),
                byInvoice.source(), byInvoice.discounts(), byInvoice.charges(), byInvoice.provenance());
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> revision.revise(held10, higherByInvoice)))
                .isInstanceOf(RevisionRefused.class)
                .hasMessageContaining("10.00 EUR is held for it")
                .hasMessageContaining("grand total is 20.00 EUR (10.00 more) with payment method invoice")
                .hasMessageContaining("charged to the card only");
        assertThatThrownBy(() -> revision.foresee(held10, higherByInvoice))
                .isInstanceOf(RevisionRefused.class).hasMessageContaining("10.00 more");
        assertThat(payments(orderId)).filteredOn(p -> "CHARGE".equals(p.get("kind"))).hasSize(1);
        assertThat(payments(orderId)).filteredOn(p -> "REFUND".equals(p.get("kind"))).hasSize(1);
    }
}
