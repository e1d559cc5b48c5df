package io.orderhub.returns;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a shop platform puts on its webhooks: Base64 of the HMAC-SHA256 of the raw body under the shared
 * secret, as Shopify sends it in {@code X-Shopify-Hmac-Sha256} and WooCommerce in {@code X-WC-Webhook-Signature}.
 * Compared in constant time over the decoded bytes (as {@code io.orderhub.payment.WebhookSignature}), so neither the
 * Base64 spelling nor the time taken tells a forger how close a guess was.
 */
public final class ChannelWebhookSignature {

    private ChannelWebhookSignature() {
    }

    /** Why the signature is refused; null when it is the secret's signature of exactly these bytes. */
    public static String problem(String header, String headerName, byte[] body, String secret) {
        if (header == null || header.isBlank()) {
            return headerName + " header is missing";
        }
        if (secret == null || secret.isBlank()) {
            return "no webhook secret is configured for this channel";
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            return headerName + " is not Base64";
        }
        byte[] expected = hmac(secret, body == null ? new byte[0] : body);
        return MessageDigest.isEqual(expected, given) ? null : headerName + " does not match the body";
    }

    /** The header value a platform sends for this body (the tests sign with it). */
    public static String sign(byte[] body, String secret) {
        return Base64.getEncoder().encodeToString(hmac(secret, body));
    }

    private static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
