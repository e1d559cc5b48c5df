package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The shop platforms' webhook signature: Base64 of the HMAC-SHA256 of the raw body under the shared secret (Shopify's
 * X-Shopify-Hmac-Sha256, WooCommerce's X-WC-Webhook-Signature).
 */
class ChannelWebhookSignatureTest {

    static final byte[] BODY = "{\"id\":7306313755,\"status\":\"requested\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSecretsSignatureOfTheExactBodyIsTaken() {
        // computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac hush -binary | base64
        assertThat(ChannelWebhookSignature.sign(BODY, "hush")).isEqualTo("R/vB6HuCt9NL7lDbxuLskUxlfKpIX6k8sGV0FZPFEEM=");
        assertThat(ChannelWebhookSignature.problem(ChannelWebhookSignature.sign(BODY, "hush"), "X-Shopify-Hmac-Sha256",
                BODY, "hush")).isNull();
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        String good = ChannelWebhookSignature.sign(BODY, "hush");
        assertThat(ChannelWebhookSignature.problem(null, "X-Shopify-Hmac-Sha256", BODY, "hush"))
                .isEqualTo("X-Shopify-Hmac-Sha256 header is missing");
        assertThat(ChannelWebhookSignature.problem(good, "X-Shopify-Hmac-Sha256", BODY, null))
                .isEqualTo("no webhook secret is configured for this channel");
        assertThat(ChannelWebhookSignature.problem("not base64!", "X-WC-Webhook-Signature", BODY, "hush"))
                .isEqualTo("X-WC-Webhook-Signature is not Base64");
        assertThat(ChannelWebhookSignature.problem(ChannelWebhookSignature.sign(BODY, "other"), "X-Shopify-Hmac-Sha256",
                BODY, "hush")).isEqualTo("X-Shopify-Hmac-Sha256 does not match the body");
        byte[] changed = "{\"id\":7306313755,\"status\":\"approved\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(ChannelWebhookSignature.problem(good, "X-Shopify-Hmac-Sha256", changed, "hush"))
                .isEqualTo("X-Shopify-Hmac-Sha256 does not match the body");
        // a truncated signature is not a prefix match
        assertThat(ChannelWebhookSignature.problem(good.substring(0, 20), "X-Shopify-Hmac-Sha256", BODY, "hush"))
                .isNotNull();
    }
}
