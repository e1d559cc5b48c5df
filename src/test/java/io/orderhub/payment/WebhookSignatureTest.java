package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(300);
    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aSignatureOverTimestampAndPayloadIsValidWithinTheTolerance() {
        String header = WebhookSignature.sign("{\"id\":\"evt_1\"}", "whsec_x", now.getEpochSecond() - 299);
        assertThat(WebhookSignature.problem(header, "{\"id\":\"evt_1\"}", "whsec_x", now, TOLERANCE)).isNull();
        String twoSignatures = "t=" + (now.getEpochSecond() - 299) + ",v1=00ff," + header.substring(header.indexOf("v1="));
        assertThat(WebhookSignature.problem(twoSignatures, "{\"id\":\"evt_1\"}", "whsec_x", now, TOLERANCE))
                .as("one matching v1 of several is enough (secret rotation)").isNull();
    }

    @Test
    void wrongSecretChangedPayloadOldTimestampAndMissingPartsAreRefused() {
        String header = WebhookSignature.sign("{}", "whsec_x", now.getEpochSecond());
        assertThat(WebhookSignature.problem(header, "{}", "whsec_other", now, TOLERANCE)).contains("does not match");
        assertThat(WebhookSignature.problem(header, "{ }", "whsec_x", now, TOLERANCE)).contains("does not match");
        String old = WebhookSignature.sign("{}", "whsec_x", now.getEpochSecond() - 301);
        assertThat(WebhookSignature.problem(old, "{}", "whsec_x", now, TOLERANCE)).contains("tolerance");
        assertThat(WebhookSignature.problem(null, "{}", "whsec_x", now, TOLERANCE)).contains("missing");
        assertThat(WebhookSignature.problem("t=" + now.getEpochSecond(), "{}", "whsec_x", now, TOLERANCE)).contains("v1=");
    }
}
