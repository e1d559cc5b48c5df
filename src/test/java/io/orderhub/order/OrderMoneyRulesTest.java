package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.FieldError;
import io.orderhub.mapping.MappingFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * The money rules of the canonical order (issue 18): unit prices per ordered unit with up to 6
 * decimals, lineTotal = quantity × unitPrice − line discounts + line charges, and the order's
 * discounts and charges adding up to totals.discount and totals.shipping.
 */
class OrderMoneyRulesTest {

    private final ObjectMapper json = new ObjectMapper();
    private final CanonicalOrderValidator validator =
            new CanonicalOrderValidator(new MappingFiles("mappings"), json, 1000);

    @Test
    void aLineAllowanceIsPartOfTheLineTotal() throws IOException {
        ObjectNode order = order();
        ObjectNode line = line(order, 0);
        line.put("quantity", 25).put("unitPrice", new BigDecimal("8.50")).put("lineTotal", new BigDecimal("191.25"));
        line.putArray("discounts").addObject().put("amount", new BigDecimal("21.25")).put("reason", "95")
                .put("percent", 10).put("baseAmount", new BigDecimal("212.50"));
        fixTotals(order);
        assertThat(validator.validate(order)).isEmpty();

        line.put("lineTotal", new BigDecimal("212.50"));
        fixTotals(order);
        assertThat(validator.validate(order)).extracting(FieldError::field, FieldError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/lines/0/lineTotal", "is 212.50 but quantity × unitPrice − discounts "
                        + "+ charges is 191.25 (212.5 − 21.25 + 0)"));
    }

    @Test
    void aPercentageThatContradictsItsAmountIsNamed() throws IOException {
        ObjectNode order = order();
        ObjectNode line = line(order, 0);
        line.put("quantity", 2).put("unitPrice", 10).put("lineTotal", 18);
        line.putArray("discounts").addObject().put("amount", 2).put("percent", 20).put("baseAmount", 20);
        fixTotals(order);
        assertThat(validator.validate(order)).extracting(FieldError::field)
                .containsExactly("/lines/0/discounts/0/amount");
    }

    @Test
    void orderChargesAndDiscountsAddUpToTheTotals() throws IOException {
        ObjectNode order = order();
        ObjectNode totals = (ObjectNode) order.get("totals");
        order.putArray("charges").addObject().put("amount", new BigDecimal("4.90")).put("reason", "FC");
        order.putArray("discounts").addObject().put("amount", 3).put("reason", "95");
        totals.put("discount", 3);
        fixGrandTotal(order);
        assertThat(validator.validate(order)).isEmpty();

        totals.put("shipping", new BigDecimal("9.90"));
        fixGrandTotal(order);
        assertThat(validator.validate(order)).extracting(FieldError::field, FieldError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/totals/shipping", "is 9.90 but the order's charges add up to 4.9"));
    }

    @Test
    void unitPricesMayHaveSixDecimalsButNotSeven() throws IOException {
        ObjectNode order = order();
        ObjectNode line = line(order, 0);
        line.put("quantity", 1000).put("unitPrice", new BigDecimal("0.012345")).put("lineTotal", new BigDecimal("12.35"));
        fixTotals(order);
        assertThat(validator.validate(order)).isEmpty();

        line.put("unitPrice", new BigDecimal("0.0123451"));
        assertThat(validator.validate(order)).extracting(FieldError::field, FieldError::message)
                .contains(org.assertj.core.groups.Tuple.tuple("/lines/0/unitPrice", "has more than 6 decimal places"));
    }

    @Test
    void aPricePerHundredReadAsPerUnitIsStillRefused() throws IOException {
        ObjectNode order = order();
        ObjectNode line = line(order, 0);
        // the document says 925 per hundred: 9.25 each; a line total of 1110 with a unit price of 925 is refused
        line.put("quantity", 120).put("unitPrice", 925).put("lineTotal", 1110);
        fixTotals(order);
        assertThat(validator.validate(order)).extracting(FieldError::field).containsExactly("/lines/0/lineTotal");
    }

    /**
     * Whatever the quantity, the price per hundred and the allowance, the line a mapping builds the
     * documented way (unit price rounded to 6 decimals, line total computed from the document's
     * figures and rounded to the cent) passes the validator.
     */
    @Property(tries = 300)
    void aLineBuiltFromAPriceBasisAlwaysPasses(@ForAll @IntRange(min = 1, max = 1_000_000) int quantity,
                                               @ForAll @BigRange(min = "0.01", max = "99999") @Scale(4) BigDecimal pricePerHundred,
                                               @ForAll @IntRange(min = 0, max = 50) int allowancePercent) throws IOException {
        BigDecimal gross = BigDecimal.valueOf(quantity).multiply(pricePerHundred).movePointLeft(2);
        BigDecimal allowance = gross.multiply(BigDecimal.valueOf(allowancePercent)).movePointLeft(2)
                .setScale(2, RoundingMode.HALF_UP);
        ObjectNode order = order();
        ObjectNode line = line(order, 0);
        line.put("quantity", quantity)
                .put("unitPrice", pricePerHundred.movePointLeft(2).setScale(6, RoundingMode.HALF_UP))
                .put("lineTotal", gross.subtract(allowance).setScale(2, RoundingMode.HALF_UP));
        if (allowance.signum() > 0) {
            line.putArray("discounts").addObject().put("amount", allowance);
        }
        fixTotals(order);
        List<FieldError> errors = validator.validate(order);
        assertThat(errors).as(line.toString()).isEmpty();
    }

    private ObjectNode order() throws IOException {
        ObjectNode order = (ObjectNode) json.readTree(Files.readString(Path.of("mappings/tests/canonical/minimal-web-order.json")));
        ArrayNode lines = (ArrayNode) order.get("lines");
        lines.remove(1);
        ((ObjectNode) order.get("totals")).put("shipping", new BigDecimal("4.90")).put("tax", 0);
        fixTotals(order);
        return order;
    }

    private static ObjectNode line(ObjectNode order, int index) {
        return (ObjectNode) order.get("lines").get(index);
    }

    private static void fixTotals(ObjectNode order) {
        BigDecimal sum = BigDecimal.ZERO;
        for (var line : order.get("lines")) {
            sum = sum.add(line.get("lineTotal").decimalValue());
        }
        ((ObjectNode) order.get("totals")).put("subtotal", sum);
        fixGrandTotal(order);
    }

    private static void fixGrandTotal(ObjectNode order) {
        ObjectNode totals = (ObjectNode) order.get("totals");
        totals.put("grandTotal", totals.get("subtotal").decimalValue().subtract(totals.get("discount").decimalValue())
                .add(totals.get("shipping").decimalValue()).add(totals.get("tax").decimalValue()));
    }
}
