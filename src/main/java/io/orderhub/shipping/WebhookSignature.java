package io.orderhub.shipping;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * EasyPost's webhook signature: header {@code X-Hmac-Signature: hmac-sha256-hex=<hex>}, the
 * HMAC-SHA256 of the raw body with the webhook secret (NFKD-normalised) as key.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hmac-Signature";
    static final String PREFIX = "hmac-sha256-hex=";

    private WebhookSignature() {
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Normalizer.normalize(secret, Normalizer.Form.NFKD).getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the header carries the body's signature (constant-time comparison). */
    public static boolean valid(String secret, byte[] body, String header) {
        if (secret == null || secret.isBlank() || header == null || body == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
