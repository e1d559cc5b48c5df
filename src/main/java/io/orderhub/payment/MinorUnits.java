package io.orderhub.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * Amounts in a currency's minor units as gateways expect them: EUR 51.19 → 5119, JPY 1200 → 1200,
 * KWD 1.234 → 1234. The number of decimals is ISO 4217's ({@link Currency#getDefaultFractionDigits()});
 * an amount with more decimals than the currency has is refused rather than rounded.
 */
public final class MinorUnits {

    /** Stripe treats these as zero-decimal although ISO 4217 gives them two (or more) decimals. */
    private static final Set<String> ZERO_DECIMAL_OVERRIDES = Set.of("ISK", "UGX", "XAF", "XOF");

    private MinorUnits() {
    }

    public static int decimals(String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        if (ZERO_DECIMAL_OVERRIDES.contains(code)) {
            return 0;
        }
        int digits = Currency.getInstance(code).getDefaultFractionDigits();
        return Math.max(digits, 0);
    }

    public static long toMinor(BigDecimal amount, String currency) {
        int decimals = decimals(currency);
        try {
            return amount.setScale(decimals, RoundingMode.UNNECESSARY).movePointRight(decimals).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + amount.toPlainString() + " has more decimals than "
                    + currency + " allows (" + decimals + ")", e);
        }
    }

    public static BigDecimal fromMinor(long minor, String currency) {
        return BigDecimal.valueOf(minor, decimals(currency));
    }
}
