package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Messages quoting long input are cut, whatever their length (found by the API fuzzer: 501-599 characters threw). */
class FieldErrorTest {

    @Test
    void aMessageOfAnyLengthIsKeptOrCutWithoutFailing() {
        for (int length : new int[] {0, 499, 500, 501, 513, 599, 600, 601, 5000}) {
            String message = "x".repeat(length);
            FieldError e = FieldError.of("id", message);
            if (length <= FieldError.MAX_MESSAGE) {
                assertThat(e.message()).isEqualTo(message);
            } else {
                assertThat(e.message()).startsWith("x".repeat(FieldError.MAX_MESSAGE))
                        .endsWith("… (" + (length - FieldError.MAX_MESSAGE) + " more characters)");
            }
        }
    }
}
