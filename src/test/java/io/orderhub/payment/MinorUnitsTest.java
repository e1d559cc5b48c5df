package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class MinorUnitsTest {

    @Test
    void amountsInMinorUnitsFollowTheCurrencysDecimals() {
        assertThat(MinorUnits.toMinor(new BigDecimal("51.19"), "EUR")).isEqualTo(5119);
        assertThat(MinorUnits.toMinor(new BigDecimal("51.1"), "usd")).isEqualTo(5110);
        assertThat(MinorUnits.toMinor(new BigDecimal("1200"), "JPY")).isEqualTo(1200);
        assertThat(MinorUnits.toMinor(new BigDecimal("1200.00"), "JPY")).isEqualTo(1200);
        assertThat(MinorUnits.toMinor(new BigDecimal("1.234"), "KWD")).isEqualTo(1234);
        assertThat(MinorUnits.fromMinor(1234, "KWD")).isEqualByComparingTo("1.234");
        assertThat(MinorUnits.fromMinor(1200, "JPY")).isEqualByComparingTo("1200");
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRefusedNotRounded() {
        assertThatThrownBy(() -> MinorUnits.toMinor(new BigDecimal("10.5"), "JPY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JPY");
        assertThatThrownBy(() -> MinorUnits.toMinor(new BigDecimal("1.2345"), "KWD"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
