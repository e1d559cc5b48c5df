package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

class MaskedMessageConverterTest {

    @Test
    void masksEmailPhoneAndCardNumbers() {
        String masked = MaskedMessageConverter.mask(
                "mail to erika.mustermann@example.com, call +49 30 1234567, card 4111 1111 1111 1111, order ORD-000000123 at 2026-11-22T10:15:00Z");
        assertThat(masked).isEqualTo(
                "mail to e***@example.com, call +***67, card [card number removed], order ORD-000000123 at 2026-11-22T10:15:00Z");
    }

    @Test
    void leavesOtherTextAlone() {
        String text = "orders 12, 13 and 14 took 1.5 s; version 2.44.0; 10 + 20";
        assertThat(MaskedMessageConverter.mask(text)).isEqualTo(text);
    }
}
