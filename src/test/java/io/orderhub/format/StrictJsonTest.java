package io.orderhub.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The token-level checks of JSON order documents: number bounds from the text alone, repeated keys by pointer. */
class StrictJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    /** The bound from the number's text agrees with the digits of the BigDecimal it stands for. */
    @Property(tries = 500)
    void theTextBoundAgreesWithTheValue(@ForAll @IntRange(min = 0, max = 60) int intDigits,
                                        @ForAll @IntRange(min = 0, max = 60) int fracDigits,
                                        @ForAll @IntRange(min = -90, max = 90) int exponent) {
        String text = "9".repeat(Math.max(1, intDigits)) + (fracDigits > 0 ? "." + "7".repeat(fracDigits) : "")
                + (exponent != 0 ? "e" + exponent : "");
        BigDecimal value = new BigDecimal(text);
        long before = value.precision() - (long) value.scale();
        long after = value.stripTrailingZeros().scale();
        boolean withinBounds = before <= StrictJson.MAX_DIGITS && after <= StrictJson.MAX_DIGITS;
        assertThat(StrictJson.numberProblem(text) == null).as(text).isEqualTo(withinBounds);
    }

    @Test
    void hugeExponentsAreRefusedWithoutComputing() {
        assertThat(StrictJson.numberProblem("1e999999")).contains("1000000 digits before");
        assertThat(StrictJson.numberProblem("1e999999999")).contains("exponent of 9 digits");
        assertThat(StrictJson.numberProblem("-1E-999999999")).contains("after the decimal point");
        assertThat(StrictJson.numberProblem("1e99999999999999999999")).contains("exponent of 20 digits");
        assertThat(StrictJson.numberProblem("0e999999999")).isNull();
        assertThat(StrictJson.numberProblem("0.00000e5")).isNull();
        assertThat(StrictJson.numberProblem("19.90")).isNull();
    }

    @Test
    void repeatedKeysAreNamedByPointer() {
        String doc = "{\"a\":1,\"b\":{\"c\":[{\"d\":1,\"d\":2}]},\"a\":3}";
        assertThatThrownBy(() -> StrictJson.read(json, doc.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("/b/c/0/d", "/a"));
    }

    @Test
    void syntaxErrorsNameNoParserInternals() {
        assertThatThrownBy(() -> StrictJson.read(json, "{\"a\": tru}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.error().message())
                        .contains("line 1, column").doesNotContain("`").doesNotContain("code "));
    }
}
