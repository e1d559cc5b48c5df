package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/** Issue 20: money in one form — at least the currency's decimals, never rounded, only the amounts. */
class MoneyFormTest {

    private final ObjectMapper json = new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonNode order(String currency) throws Exception {
        return json.readTree("""
                {"currency": "%s",
                 "lines": [{"lineNo": 1, "quantity": 10, "unitPrice": 2.1, "lineTotal": 21, "taxAmount": 4.2,
                            "discounts": [{"amount": 1, "percent": 5, "baseAmount": 20}],
                            "source": {"price": 210, "basisQuantity": 100, "lineAmount": 21}},
                           {"lineNo": 2, "quantity": 3, "unitPrice": 2.105, "lineTotal": 6.32}],
                 "charges": [{"amount": 5, "reason": "FREIGHT"}],
                 "totals": {"subtotal": 85, "discount": 0, "shipping": 5, "tax": 0, "grandTotal": 90.00}}
                """.formatted(currency));
    }

    @Test
    void amountsGetTheCurrencysDecimalsAndKeepTheirValue() throws Exception {
        JsonNode in = order("EUR");
        JsonNode out = MoneyForm.inCurrencyForm(in);

        assertThat(out.at("/totals/subtotal").decimalValue().toPlainString()).isEqualTo("85.00");
        assertThat(out.at("/totals/discount").decimalValue().toPlainString()).isEqualTo("0.00");
        assertThat(out.at("/totals/grandTotal").decimalValue().toPlainString()).isEqualTo("90.00");
        assertThat(out.at("/lines/0/unitPrice").decimalValue().toPlainString()).isEqualTo("2.10");
        assertThat(out.at("/lines/0/lineTotal").decimalValue().toPlainString()).isEqualTo("21.00");
        assertThat(out.at("/lines/0/taxAmount").decimalValue().toPlainString()).isEqualTo("4.20");
        assertThat(out.at("/lines/0/discounts/0/amount").decimalValue().toPlainString()).isEqualTo("1.00");
        assertThat(out.at("/lines/0/discounts/0/baseAmount").decimalValue().toPlainString()).isEqualTo("20.00");
        assertThat(out.at("/charges/0/amount").decimalValue().toPlainString()).isEqualTo("5.00");
        // more decimals than the currency's are kept, never rounded
        assertThat(out.at("/lines/1/unitPrice").decimalValue().toPlainString()).isEqualTo("2.105");
        // not money: quantities, percentages, line numbers and the document's own figures stay as written
        assertThat(out.at("/lines/0/quantity").toString()).isEqualTo("10");
        assertThat(out.at("/lines/0/lineNo").toString()).isEqualTo("1");
        assertThat(out.at("/lines/0/discounts/0/percent").toString()).isEqualTo("5");
        assertThat(out.at("/lines/0/source/price").toString()).isEqualTo("210");
        assertThat(out.at("/lines/0/source/lineAmount").toString()).isEqualTo("21");
        // a copy: the input is left alone
        assertThat(in.at("/totals/subtotal").toString()).isEqualTo("85");
    }

    @Test
    void eachCurrencyHasItsOwnNumberOfDecimals() throws Exception {
        JsonNode yen = MoneyForm.inCurrencyForm(order("JPY"));
        assertThat(yen.at("/totals/subtotal").decimalValue().toPlainString()).isEqualTo("85");
        assertThat(yen.at("/lines/0/unitPrice").decimalValue().toPlainString()).isEqualTo("2.1");

        JsonNode dinar = MoneyForm.inCurrencyForm(order("KWD"));
        assertThat(dinar.at("/totals/subtotal").decimalValue().toPlainString()).isEqualTo("85.000");
        assertThat(dinar.at("/lines/1/unitPrice").decimalValue().toPlainString()).isEqualTo("2.105");

        assertThat(MoneyForm.amount(new BigDecimal("1.5E+2"), "EUR").toPlainString()).isEqualTo("150.00");
        assertThat(MoneyForm.amount(new BigDecimal("1.5E+3"), "JPY").toPlainString()).isEqualTo("1500");
        assertThat(MoneyForm.amount(new BigDecimal("12.3456"), "USD").toPlainString()).isEqualTo("12.3456");
    }

    @Test
    void anOrderWithoutAKnownCurrencyIsLeftAsItIsForTheValidatorToReport() throws Exception {
        for (String currency : new String[] {"EURO", "XYZ", ""}) {
            JsonNode in = order(currency);
            assertThat(MoneyForm.inCurrencyForm(in)).isEqualTo(in);
        }
        JsonNode notANumber = json.readTree("""
                {"currency": "EUR", "totals": {"subtotal": "85", "grandTotal": null}, "lines": {"unitPrice": 1}}
                """);
        assertThat(MoneyForm.inCurrencyForm(notANumber)).isEqualTo(notANumber);
        assertThat(MoneyForm.amount(null, "EUR")).isNull();
        assertThat(MoneyForm.amount(BigDecimal.ONE, null)).isEqualTo(BigDecimal.ONE);
    }
}
