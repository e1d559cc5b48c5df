package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.payment.Payment;
import io.orderhub.payment.RefundLimit;
import org.junit.jupiter.api.Test;

/** The money of a return (line price per unit, shipping rule, restocking fee), the refund cap, and bad bodies. */
class ReturnMoneyTest {

    static final ReturnProperties.Rules PLAIN = new ReturnProperties.Rules("full-return", BigDecimal.ZERO);

    @Test
    void aUnitIsWorthItsLineTotalPerOrderedUnitDiscountsIncluded() {
        // 3 units for 25.00 after a line discount: one back is 8.33, all three 25.00 (no cent lost or made)
        assertThat(ReturnMoney.lineAmount(1, new BigDecimal("3"), new BigDecimal("25.00"))).isEqualByComparingTo("8.33");
        assertThat(ReturnMoney.lineAmount(3, new BigDecimal("3"), new BigDecimal("25.00"))).isEqualByComparingTo("25.00");
        assertThat(ReturnMoney.lineAmount(0, new BigDecimal("3"), new BigDecimal("25.00"))).isEqualByComparingTo("0");
    }

    @Test
    void shippingIsRefundedByTheChannelsRuleAndOnlyOnce() {
        List<ReturnMoney.Unit> one = List.of(new ReturnMoney.Unit(1, new BigDecimal("2"), new BigDecimal("20.00")));
        BigDecimal shipping = new BigDecimal("4.90");
        assertThat(ReturnMoney.refund(one, shipping, PLAIN, false, false).total()).isEqualByComparingTo("10.00");
        assertThat(ReturnMoney.refund(one, shipping, PLAIN, true, false).total()).isEqualByComparingTo("14.90");
        assertThat(ReturnMoney.refund(one, shipping, PLAIN, true, true).total()).isEqualByComparingTo("10.00");
        ReturnProperties.Rules always = new ReturnProperties.Rules("always", BigDecimal.ZERO);
        assertThat(ReturnMoney.refund(one, shipping, always, false, false).shipping()).isEqualByComparingTo("4.90");
        ReturnProperties.Rules never = new ReturnProperties.Rules("never", BigDecimal.ZERO);
        assertThat(ReturnMoney.refund(one, shipping, never, true, false).shipping()).isEqualByComparingTo("0");
        // nothing received, nothing refunded, not even shipping
        List<ReturnMoney.Unit> none = List.of(new ReturnMoney.Unit(0, new BigDecimal("2"), new BigDecimal("20.00")));
        assertThat(ReturnMoney.refund(none, shipping, always, true, false).total()).isEqualByComparingTo("0");
    }

    @Test
    void theRestockingFeeIsKeptFromTheGoodsNotFromShipping() {
        ReturnProperties.Rules fee = new ReturnProperties.Rules("full-return", new BigDecimal("10"));
        ReturnMoney.Breakdown b = ReturnMoney.refund(List.of(new ReturnMoney.Unit(2, new BigDecimal("2"),
                new BigDecimal("19.99"))), new BigDecimal("5.00"), fee, true, false);
        assertThat(b.goods()).isEqualByComparingTo("19.99");
        assertThat(b.restockingFee()).isEqualByComparingTo("2.00");
        assertThat(b.shipping()).isEqualByComparingTo("5.00");
        assertThat(b.total()).isEqualByComparingTo("22.99");
        assertThatThrownBy(() -> new ReturnProperties.Rules("sometimes", BigDecimal.ZERO))
                .hasMessageContaining("never, full-return or always");
        assertThatThrownBy(() -> new ReturnProperties.Rules(null, new BigDecimal("101"))).hasMessageContaining("0-100");
    }

    @Test
    void refundsAreCutToWhatIsLeftOfWhatWasCaptured() {
        Payment charge = row(Payment.CHARGE, Payment.SUCCEEDED, "30.00");
        Payment refund = row(Payment.REFUND, Payment.SUCCEEDED, "10.00");
        Payment failed = row(Payment.REFUND, Payment.FAILED, "10.00");
        Payment pending = row(Payment.REFUND, Payment.PENDING, "5.00");
        assertThat(RefundLimit.refundable(List.of(charge, refund, failed, pending))).isEqualByComparingTo("15.00");
        assertThat(RefundLimit.cap(new BigDecimal("30.00"), new BigDecimal("25.00"), new BigDecimal("10.00")))
                .isEqualByComparingTo("5.00");
        assertThat(RefundLimit.cap(new BigDecimal("30.00"), new BigDecimal("30.00"), new BigDecimal("10.00"))).isZero();
        assertThat(RefundLimit.refundable(List.of(row(Payment.CHARGE, Payment.DECLINED, "30.00")))).isZero();
    }

    @Test
    void badBodiesNameEveryField() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ReturnRequests.request(json.readTree("[]"))).isInstanceOf(OrderHubException.class)
                .hasMessageContaining("body");
        OrderHubException e = (OrderHubException) org.assertj.core.api.Assertions.catchThrowable(() -> ReturnRequests.request(
                json.readTree("{\"lines\":[{\"lineNo\":1,\"quantity\":1.5},{\"lineNo\":1,\"quantity\":2,\"reason\":7}]}")));
        assertThat(e.errors()).extracting(io.orderhub.common.FieldError::field)
                .containsExactlyInAnyOrder("/resolution", "/lines/0/quantity", "/lines/1/reason", "/lines/1/lineNo");
        assertThat(e.problem().status()).isEqualTo(422);
        ReturnRequests.Request ok = ReturnRequests.request(json.readTree(
                "{\"lines\":[{\"lineNo\":2,\"quantity\":3,\"reason\":\" too big \"}],\"resolution\":\"store_credit\"}"));
        assertThat(ok.resolution()).isEqualTo(ReturnLifecycle.Resolution.STORE_CREDIT);
        assertThat(ok.lines()).containsExactly(new ReturnRequests.RequestedLine(2, 3, "too big"));
        OrderHubException r = (OrderHubException) org.assertj.core.api.Assertions.catchThrowable(() -> ReturnRequests.receipt(
                json.readTree("{\"lines\":[]}")));
        assertThat(r.errors()).extracting(io.orderhub.common.FieldError::field).containsExactly("/warehouse", "/lines");
    }

    private static Payment row(String kind, String status, String amount) {
        return new Payment(1, "ORD-1", kind, "stripe", "card", 1, kind + amount + status, null, null, null,
                new BigDecimal(amount), 0, "EUR", status, null, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
    }

    @Test
    void aNetOrdersUnitComesBackWithItsTaxAndLessItsShareOfTheOrdersDiscount() {
        // lines 20.00 (2 units) and 10.00; order discount 3.00; tax 5.13 (19 % of 27.00); grand total 32.13
        io.orderhub.order.CanonicalOrder order = order(null, null);
        ReturnMoney.Unit mug = ReturnMoney.unit(order, order.lines().get(0), 1);
        ReturnMoney.Breakdown one = ReturnMoney.refund(List.of(mug), BigDecimal.ZERO, PLAIN, false, false);
        assertThat(one.goods()).isEqualByComparingTo("10.00");
        assertThat(one.orderDiscount()).isEqualByComparingTo("1.00");
        assertThat(one.tax()).isEqualByComparingTo("1.71");
        assertThat(one.total()).isEqualByComparingTo("10.71");

        // everything back gives the grand total
        ReturnMoney.Breakdown all = ReturnMoney.refund(List.of(ReturnMoney.unit(order, order.lines().get(0), 2),
                ReturnMoney.unit(order, order.lines().get(1), 1)), BigDecimal.ZERO, PLAIN, true, false);
        assertThat(all.total()).isEqualByComparingTo("32.13");
    }

    @Test
    void linesThatStateTheirTaxKeepIt() {
        io.orderhub.order.CanonicalOrder order = order(new BigDecimal("3.80"), new BigDecimal("1.33"));
        ReturnMoney.Breakdown tee = ReturnMoney.refund(List.of(ReturnMoney.unit(order, order.lines().get(1), 1)),
                BigDecimal.ZERO, PLAIN, false, false);
        assertThat(tee.tax()).isEqualByComparingTo("1.33");
        assertThat(tee.total()).isEqualByComparingTo("10.33");
    }

    @Test
    void theRestockingFeeKeepsItsShareOfTheTaxBack() {
        ReturnProperties.Rules tenPercent = new ReturnProperties.Rules("never", new BigDecimal("10"));
        io.orderhub.order.CanonicalOrder order = order(null, null);
        ReturnMoney.Breakdown one = ReturnMoney.refund(List.of(ReturnMoney.unit(order, order.lines().get(0), 1)),
                BigDecimal.ZERO, tenPercent, false, false);
        // 10 % of 9.00 (the unit less its discount share); its tax 1.71 less 10 %: what is credited is taxed at 19 %
        assertThat(one.restockingFee()).isEqualByComparingTo("0.90");
        assertThat(one.tax()).isEqualByComparingTo("1.54");
        assertThat(one.total()).isEqualByComparingTo("9.64");
        assertThat(one.tax()).isCloseTo(new BigDecimal("8.10").multiply(new BigDecimal("0.19")),
                org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
    }

    @Test
    void taxedShippingBearsItsShareOfTheTaxAndIsRefundedWithIt() {
        // lines 20.00 and 10.00, shipping 10.00, tax 19 % of 40.00 = 7.60: grand total 47.60
        List<io.orderhub.order.CanonicalOrder.Line> lines = List.of(
                new io.orderhub.order.CanonicalOrder.Line(1, "MUG", null, new BigDecimal("2"), null, new BigDecimal("10.00"),
                        new BigDecimal("20.00"), null, null),
                new io.orderhub.order.CanonicalOrder.Line(2, "TEE", null, BigDecimal.ONE, null, new BigDecimal("10.00"),
                        new BigDecimal("10.00"), null, null));
        io.orderhub.order.CanonicalOrder order = new io.orderhub.order.CanonicalOrder("ORD-2", "webshop", "W-2",
                "2026-12-01", null, null, "EUR", null, null, null, lines, new io.orderhub.order.CanonicalOrder.Totals(
                new BigDecimal("30.00"), BigDecimal.ZERO, new BigDecimal("10.00"), new BigDecimal("7.60"),
                new BigDecimal("47.60")), null, null, null, null);
        BigDecimal shippingTax = ReturnMoney.shippingTax(order);
        assertThat(shippingTax).isEqualByComparingTo("1.90");

        ReturnMoney.Breakdown tee = ReturnMoney.refund(List.of(ReturnMoney.unit(order, lines.get(1), 1)),
                new BigDecimal("10.00"), shippingTax, PLAIN, false, false);
        assertThat(tee.shipping()).isEqualByComparingTo("0");
        assertThat(tee.tax()).isEqualByComparingTo("1.90");
        assertThat(tee.total()).isEqualByComparingTo("11.90");

        ReturnMoney.Breakdown all = ReturnMoney.refund(List.of(ReturnMoney.unit(order, lines.get(0), 2),
                ReturnMoney.unit(order, lines.get(1), 1)), new BigDecimal("10.00"), shippingTax, PLAIN, true, false);
        assertThat(all.shipping()).isEqualByComparingTo("10.00");
        assertThat(all.tax()).isEqualByComparingTo("7.60");
        assertThat(all.total()).isEqualByComparingTo("47.60");
    }

    @Test
    void untaxedShippingBearsNoneOfTheTax() {
        // the tour's WEB-10001: 2 × 9.50 and 19.90, shipping 4.90, tax 7.39 = 19 % of the goods (16.87 % with shipping)
        List<io.orderhub.order.CanonicalOrder.Line> lines = List.of(
                new io.orderhub.order.CanonicalOrder.Line(1, "MUG-BLUE", null, new BigDecimal("2"), null,
                        new BigDecimal("9.50"), new BigDecimal("19.00"), null, null),
                new io.orderhub.order.CanonicalOrder.Line(2, "TEE-RED-M", null, BigDecimal.ONE, null,
                        new BigDecimal("19.90"), new BigDecimal("19.90"), null, null));
        io.orderhub.order.CanonicalOrder order = new io.orderhub.order.CanonicalOrder("ORD-3", "webshop", "WEB-10001",
                "2026-12-01", null, null, "EUR", null, null, null, lines, new io.orderhub.order.CanonicalOrder.Totals(
                new BigDecimal("38.90"), BigDecimal.ZERO, new BigDecimal("4.90"), new BigDecimal("7.39"),
                new BigDecimal("51.19")), null, null, null, null);
        assertThat(ReturnMoney.shippingTax(order)).isEqualByComparingTo("0");

        ReturnMoney.Breakdown mug = ReturnMoney.refund(List.of(ReturnMoney.unit(order, lines.get(0), 1)),
                new BigDecimal("4.90"), ReturnMoney.shippingTax(order), PLAIN, false, false);
        assertThat(mug.tax()).isEqualByComparingTo("1.80");
        assertThat(mug.total()).isEqualByComparingTo("11.30");

        ReturnMoney.Breakdown all = ReturnMoney.refund(List.of(ReturnMoney.unit(order, lines.get(0), 2),
                ReturnMoney.unit(order, lines.get(1), 1)), new BigDecimal("4.90"), ReturnMoney.shippingTax(order), PLAIN,
                true, false);
        assertThat(all.total()).isEqualByComparingTo("51.19");
    }

    private static io.orderhub.order.CanonicalOrder order(BigDecimal tax1, BigDecimal tax2) {
        List<io.orderhub.order.CanonicalOrder.Line> lines = List.of(
                new io.orderhub.order.CanonicalOrder.Line(1, "MUG", null, new BigDecimal("2"), null, new BigDecimal("10.00"),
                        new BigDecimal("20.00"), tax1, null),
                new io.orderhub.order.CanonicalOrder.Line(2, "TEE", null, BigDecimal.ONE, null, new BigDecimal("10.00"),
                        new BigDecimal("10.00"), tax2, null));
        return new io.orderhub.order.CanonicalOrder("ORD-1", "webshop", "W-1", "2026-12-01", null, null, "EUR", null,
                null, null, lines, new io.orderhub.order.CanonicalOrder.Totals(new BigDecimal("30.00"),
                new BigDecimal("3.00"), BigDecimal.ZERO, new BigDecimal("5.13"), new BigDecimal("32.13")), null, null,
                null, null);
    }
}
