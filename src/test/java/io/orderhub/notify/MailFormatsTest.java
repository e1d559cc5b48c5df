package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** One mail's formats render every amount in its own currency's form, whatever came before it in the same mail. */
class MailFormatsTest {

    @Test
    void eachAmountGetsItsCurrencysDecimalsWithTheLocalesSeparators() {
        MailFormats en = new MailFormats("en", ZoneId.of("UTC"));
        assertThat(en.money(new BigDecimal("1234.5"), "EUR")).isEqualTo("1,234.50 EUR");
        assertThat(en.money(new BigDecimal("1500"), "JPY")).isEqualTo("1,500 JPY");
        assertThat(en.money(new BigDecimal("2.125"), "BHD")).isEqualTo("2.125 BHD");
        assertThat(en.money(new BigDecimal("10.005"), "EUR")).isEqualTo("10.005 EUR");
        assertThat(en.money(new BigDecimal("3"), "EUR")).isEqualTo("3.00 EUR");
        MailFormats de = new MailFormats("de", ZoneId.of("UTC"));
        assertThat(de.money(new BigDecimal("1234.5"), "EUR")).isEqualTo("1.234,50 EUR");
        assertThat(de.money(null, "EUR")).isEmpty();
    }
}
