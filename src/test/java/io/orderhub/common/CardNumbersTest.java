package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CardNumbersTest {

    @Test
    void aUuidWhoseGroupsAreDigitsIsAnIdNotACardNumber() {
        // its first three groups read as 4111 1111 1111 1111, the Visa test number
        String line = "crm: dead letter 1 (event 41111111-1111-1111-ab12-f5ea20ebf770) replayed";
        assertThat(CardNumbers.contains(line)).isFalse();
        assertThat(CardNumbers.redact(line)).isEqualTo(line);

        String both = "card 4111 1111 1111 1111 for event 41111111-1111-1111-ab12-f5ea20ebf770";
        assertThat(CardNumbers.contains(both)).isTrue();
        assertThat(CardNumbers.redact(both))
                .isEqualTo("card [card number removed] for event 41111111-1111-1111-ab12-f5ea20ebf770");
        // the same digits not shaped as a UUID are still a card number
        assertThat(CardNumbers.redact("ref 41111111-1111-1111-ab12")).isEqualTo("ref [card number removed]-ab12");
    }

    @Test
    void findsTestCardsOfEveryScheme() {
        for (String pan : new String[] {"4111111111111111", "5555555555554444", "2223003122003222", "378282246310005",
                "6011111111111117", "3566002020360505", "6200000000000005", "4111-1111-1111-1111", "4111 1111 1111 1111"}) {
            assertThat(CardNumbers.contains("x " + pan + " y")).as(pan).isTrue();
        }
    }

    @Test
    void leavesProductCodesAndOtherNumbersAlone() {
        for (String s : new String[] {"4006381333931", "40063813339310", "4111111111111112", "1234567890123456",
                "ORD-000000123", "2026-11-22T10:15:00+01:00", "+49 30 1234567"}) {
            assertThat(CardNumbers.contains(s)).as(s).isFalse();
        }
    }

    @Test
    void redactsOnlyTheNumber() {
        assertThat(CardNumbers.redact("card 4111 1111 1111 1111, thanks")).isEqualTo("card [card number removed], thanks");
        byte[] bytes = "Grüße 5555555555554444".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(new String(CardNumbers.redact(bytes), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("Grüße [card number removed]");
    }

    @Property
    void anyLuhnValidVisaNumberIsFoundAndRedacted(@ForAll @NumericChars @StringLength(14) String body,
                                                  @ForAll @IntRange(min = 0, max = 1) int separators) {
        String partial = "4" + body;
        String pan = partial + luhnDigit(partial);
        String text = separators == 1 ? pan.replaceAll("(\\d{4})(?=\\d)", "$1 ") : pan;
        assertThat(CardNumbers.contains("note: " + text)).isTrue();
        assertThat(CardNumbers.redact("note: " + text)).doesNotContain(pan).doesNotContain(text);
    }

    static int luhnDigit(String partial) {
        for (int d = 0; d <= 9; d++) {
            if (CardNumbers.luhn(partial + d)) {
                return d;
            }
        }
        throw new IllegalStateException();
    }
}
