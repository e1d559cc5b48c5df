package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LineChangeTest {

    private static CanonicalOrder.Line line(int no, String sku, String quantity, String price, String tax) {
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal p = new BigDecimal(price);
        return new CanonicalOrder.Line(no, sku, null, q, "EA", p, q.multiply(p).setScale(2), tax == null ? null
                : new BigDecimal(tax), null);
    }

    private static CanonicalOrder order(List<CanonicalOrder.Line> lines, String discount, String shipping, String tax) {
        BigDecimal subtotal = lines.stream().map(CanonicalOrder.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal d = new BigDecimal(discount);
        BigDecimal s = new BigDecimal(shipping);
        BigDecimal t = new BigDecimal(tax);
        return new CanonicalOrder("ORD-1", "b2b", "PO-1", "2026-01-01T00:00:00Z", null, OrderStatus.CONFIRMED, "EUR",
                null, null, null, lines, new CanonicalOrder.Totals(subtotal, d, s, t, subtotal.subtract(d).add(s).add(t)),
                null, null, null, null);
    }

    @Test
    void addsChangesAndDeletesLinesAndRecomputesTheTotalsKeepingDiscountShippingAndTax() {
        CanonicalOrder stored = order(List.of(line(1, "A", "2", "10.00", "3.80"), line(2, "B", "1", "5.00", "0.95")),
                "1.00", "4.90", "4.75");

        CanonicalOrder changed = LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.CHANGE, 1, null, null, new BigDecimal("3"), null, null, null),
                new LineChange(LineChange.Action.DELETE, 2, null, null, null, null, null, null),
                new LineChange(LineChange.Action.ADD, 3, "C", "new", new BigDecimal("1"), "PCE", new BigDecimal("7.333"), null)));

        assertThat(changed.lines()).extracting(CanonicalOrder.Line::lineNo).containsExactly(1, 3);
        assertThat(changed.lines().get(0).quantity()).isEqualByComparingTo("3");
        assertThat(changed.lines().get(0).lineTotal()).isEqualByComparingTo("30.00");
        assertThat(changed.lines().get(0).taxAmount()).as("a changed line's tax is no longer known").isNull();
        assertThat(changed.lines().get(1).lineTotal()).isEqualByComparingTo("7.33");
        assertThat(changed.lines().get(1).uom()).isEqualTo("PCE");
        assertThat(changed.totals().subtotal()).isEqualByComparingTo("37.33");
        assertThat(changed.totals().grandTotal()).isEqualByComparingTo("45.98");
        assertThat(changed.totals().tax()).isEqualByComparingTo("4.75");
        assertThat(changed.orderId()).isEqualTo("ORD-1");
    }

    @Test
    void aChangeThatRestatesTheSameValuesKeepsTheLineAsStored() {
        CanonicalOrder stored = order(List.of(line(1, "A", "2", "10.00", "3.80")), "0", "0", "3.80");
        CanonicalOrder changed = LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.CHANGE, 1, "A", null, new BigDecimal("2.0"), null, new BigDecimal("10"), null)));
        assertThat(changed.lines().get(0).taxAmount()).isEqualByComparingTo("3.80");
        assertThat(changed.totals().grandTotal()).isEqualByComparingTo(stored.totals().grandTotal());
    }

    @Test
    void refusesLinesThatDoNotFitTheStoredOrderNamingEach() {
        CanonicalOrder stored = order(List.of(line(1, "A", "2", "10.00", null)), "0", "0", "0");
        assertThatThrownBy(() -> LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.ADD, 1, "X", null, BigDecimal.ONE, null, BigDecimal.ONE, null),
                new LineChange(LineChange.Action.CHANGE, 4, null, null, BigDecimal.ONE, null, null, null),
                new LineChange(LineChange.Action.DELETE, 5, null, null, null, null, null, null))))
                .isInstanceOf(RevisionRefused.class)
                .hasMessageContaining("line 1 is to be added but the order has a line 1 already")
                .hasMessageContaining("line 4 is to be changed but the order has no line 4")
                .hasMessageContaining("line 5 is to be deleted but the order has no line 5");
        assertThatThrownBy(() -> LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.DELETE, 1, null, null, null, null, null, null))))
                .isInstanceOf(RevisionRefused.class).hasMessageContaining("send a cancellation instead");
    }

    private static CanonicalOrder.Adjustment percent(String amount, String percent, String base) {
        return new CanonicalOrder.Adjustment(new BigDecimal(amount), "A00", "volume", new BigDecimal(percent),
                new BigDecimal(base));
    }

    private static CanonicalOrder.Adjustment fixed(String amount) {
        return new CanonicalOrder.Adjustment(new BigDecimal(amount), "FRT", "freight", null, null);
    }

    /** A line of 2 x 10.00 with a 10 % discount (2.00) and a source as the partner wrote it. */
    private static CanonicalOrder.Line discountedLine(CanonicalOrder.Adjustment discount) {
        return new CanonicalOrder.Line(1, "A", "item", new BigDecimal("2"), "EA", new BigDecimal("10.00"),
                new BigDecimal("20.00").subtract(discount.amount()), new BigDecimal("3.42"), null, List.of(discount), null,
                new CanonicalOrder.LineSource(new BigDecimal("100.00"), BigDecimal.TEN, "EA", "PE", null), "PARTNER-A");
    }

    private static CanonicalOrder withOrderAdjustments(CanonicalOrder o, List<CanonicalOrder.Adjustment> discounts,
                                                       List<CanonicalOrder.Adjustment> charges, String discount,
                                                       String shipping) {
        CanonicalOrder.Totals t = o.totals();
        BigDecimal d = new BigDecimal(discount);
        BigDecimal s = new BigDecimal(shipping);
        return new CanonicalOrder(o.orderId(), o.channel(), o.externalId(), o.orderDate(), o.receivedAt(), o.status(),
                o.currency(), o.customer(), o.billTo(), o.shipTo(), o.lines(), new CanonicalOrder.Totals(t.subtotal(), d, s,
                t.tax(), t.subtotal().subtract(d).add(s).add(t.tax())), o.payment(), o.shippingMethod(), o.notes(),
                o.source(), discounts, charges, java.util.Map.of("customer.name", "N1*BY"));
    }

    @Test
    void aChangeOfTheItemTextKeepsTheLinesDiscountsSourceAndPartnerItemAndTheOrdersAdjustments() {
        CanonicalOrder stored = withOrderAdjustments(order(List.of(discountedLine(percent("2.00", "10", "20.00"))), "0",
                "0", "3.42"), List.of(fixed("1.00")), List.of(fixed("4.90")), "1.00", "4.90");

        CanonicalOrder changed = LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.CHANGE, 1, null, "new text", null, null, null, null)));

        CanonicalOrder.Line line = changed.lines().get(0);
        assertThat(line.description()).isEqualTo("new text");
        assertThat(line.discounts()).isEqualTo(stored.lines().get(0).discounts());
        assertThat(line.source()).isEqualTo(stored.lines().get(0).source());
        assertThat(line.partnerSku()).isEqualTo("PARTNER-A");
        assertThat(line.taxAmount()).isEqualByComparingTo("3.42");
        assertThat(changed.discounts()).isEqualTo(stored.discounts());
        assertThat(changed.charges()).isEqualTo(stored.charges());
        assertThat(changed.provenance()).isEqualTo(stored.provenance());
        assertThat(changed.totals()).isEqualTo(stored.totals());
    }

    @Test
    void aNewQuantityComputesAPercentageDiscountAgainOnTheLineAndOnTheOrder() {
        // line: 2 x 10.00 - 10 % = 18.00; order: 5 % of 18.00 = 0.90 off, a fixed 4.90 freight charge
        CanonicalOrder stored = withOrderAdjustments(order(List.of(discountedLine(percent("2.00", "10", "20.00"))), "0",
                "0", "0"), List.of(percent("0.90", "5", "18.00")), List.of(fixed("4.90")), "0.90", "4.90");

        CanonicalOrder changed = LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.CHANGE, 1, null, null, new BigDecimal("5"), null, null, null)));

        CanonicalOrder.Line line = changed.lines().get(0);
        assertThat(line.discounts().get(0).amount()).isEqualByComparingTo("5.00");
        assertThat(line.discounts().get(0).baseAmount()).isEqualByComparingTo("50.00");
        assertThat(line.lineTotal()).isEqualByComparingTo("45.00");
        assertThat(line.source()).as("the price is unchanged: the document's price still describes it").isNotNull();
        assertThat(changed.discounts().get(0).amount()).isEqualByComparingTo("2.25");
        assertThat(changed.charges()).isEqualTo(stored.charges());
        assertThat(changed.totals().subtotal()).isEqualByComparingTo("45.00");
        assertThat(changed.totals().discount()).isEqualByComparingTo("2.25");
        assertThat(changed.totals().shipping()).isEqualByComparingTo("4.90");
        assertThat(changed.totals().grandTotal()).isEqualByComparingTo("47.65");
    }

    @Test
    void aNewPriceForALineWithAFixedDiscountIsRefusedNamingTheLine() {
        CanonicalOrder stored = order(List.of(discountedLine(fixed("2.00"))), "0", "0", "0");

        assertThatThrownBy(() -> LineChange.apply(stored, List.of(
                new LineChange(LineChange.Action.CHANGE, 1, null, null, null, null, new BigDecimal("12.00"), null))))
                .isInstanceOf(RevisionRefused.class)
                .hasMessageContaining("line 1 has a discount of 2.00 (FRT) as a fixed amount")
                .hasMessageContaining("send a replacement of the whole order");
    }

    @Property(tries = 200)
    void theGrandTotalAlwaysAddsUp(@ForAll @IntRange(min = 1, max = 500) int quantity,
                                   @ForAll @IntRange(min = 0, max = 100000) int cents,
                                   @ForAll @IntRange(min = 0, max = 2000) int shippingCents) {
        CanonicalOrder stored = order(List.of(line(1, "A", "1", "1.00", null), line(2, "B", "2", "2.50", null)),
                "0.50", new BigDecimal(shippingCents).movePointLeft(2).toPlainString(), "1.00");
        CanonicalOrder changed = LineChange.apply(stored, List.of(new LineChange(LineChange.Action.CHANGE, 2, null, null,
                BigDecimal.valueOf(quantity), null, new BigDecimal(cents).movePointLeft(2), null)));
        CanonicalOrder.Totals t = changed.totals();
        BigDecimal lines = changed.lines().stream().map(CanonicalOrder.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(t.subtotal()).isEqualByComparingTo(lines);
        assertThat(t.grandTotal()).isEqualByComparingTo(t.subtotal().subtract(t.discount()).add(t.shipping()).add(t.tax()));
    }

    @Test
    void refusalsNameTheStateAndWhy() {
        assertThat(AmendmentWording.cancelRefusal("ORD-9", OrderStatus.DELIVERED)).contains("ORD-9 is DELIVERED")
                .contains("return");
        assertThat(AmendmentWording.replaceRefusal("ORD-9", OrderStatus.ALLOCATED)).contains("ORD-9 is ALLOCATED")
                .contains("pick lists are issued");
        assertThat(OrderAmendments.REPLACEABLE).as("issue 18: replaced until allocated, payment adjusted")
                .contains(OrderStatus.PAID).doesNotContain(OrderStatus.ALLOCATED);
        assertThat(DocumentPurpose.parse(null)).contains(DocumentPurpose.ORIGINAL);
        assertThat(DocumentPurpose.parse("cancel")).contains(DocumentPurpose.CANCEL);
        assertThat(DocumentPurpose.parse("STORNO")).isEmpty();
    }

    @Test
    void aChangesHeaderAllowancesChargesAndTaxReplaceTheStoredOnesAndItsTotalIsReconciled() {
        CanonicalOrder stored = order(List.of(line(1, "A", "2", "10.00", null)), "1.00", "4.90", "3.80");
        List<LineChange> lines = List.of(
                new LineChange(LineChange.Action.CHANGE, 1, null, null, new BigDecimal("4"), null, null, null));
        HeaderChange header = new HeaderChange(
                List.of(new CanonicalOrder.Adjustment(null, "C310", null, new BigDecimal("5"), null)),
                List.of(new CanonicalOrder.Adjustment(new BigDecimal("12.50"), "D240", "Freight", null, null)),
                new BigDecimal("7.60"), new BigDecimal("58.10"), "segment 11 (AMT) element 2");

        CanonicalOrder changed = LineChange.apply(stored, lines, header);

        // 40.00 - 5 % of 40.00 + 12.50 + 7.60 = 58.10
        assertThat(changed.discounts()).singleElement().satisfies(d -> {
            assertThat(d.amount()).isEqualByComparingTo("2.00");
            assertThat(d.baseAmount()).isEqualByComparingTo("40.00");
            assertThat(d.reason()).isEqualTo("C310");
        });
        assertThat(changed.charges()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualByComparingTo("12.50"));
        assertThat(changed.totals().subtotal()).isEqualByComparingTo("40.00");
        assertThat(changed.totals().discount()).isEqualByComparingTo("2.00");
        assertThat(changed.totals().shipping()).isEqualByComparingTo("12.50");
        assertThat(changed.totals().tax()).isEqualByComparingTo("7.60");
        assertThat(changed.totals().grandTotal()).isEqualByComparingTo("58.10");

        HeaderChange contradicting = new HeaderChange(header.discounts(), header.charges(), header.tax(),
                new BigDecimal("60.00"), "segment 11 (AMT) element 2");
        assertThatThrownBy(() -> LineChange.apply(stored, lines, contradicting))
                .isInstanceOf(RevisionRefused.class)
                .hasMessageContaining("/totals/grandTotal (segment 11 (AMT) element 2) is 60 but")
                .hasMessageContaining("is 58.1 (40.00 − 2.00 + 12.50 + 7.60)");

        // without a restatement the stored order level stays as before (the header of a lines-only change)
        CanonicalOrder linesOnly = LineChange.apply(stored, lines, HeaderChange.NONE);
        assertThat(linesOnly.totals().discount()).isEqualByComparingTo("1.00");
        assertThat(linesOnly.totals().shipping()).isEqualByComparingTo("4.90");
        assertThat(linesOnly.totals().tax()).isEqualByComparingTo("3.80");
        assertThat(linesOnly.totals().grandTotal()).isEqualByComparingTo("47.70");
    }
}
