package io.orderhub.payment;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature: header {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=...]},
 * where v1 is HMAC-SHA256 with the endpoint's signing secret over {@code "<t>.<raw body>"}. Valid
 * when one v1 matches (compared in constant time) and t is within the tolerance of now.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    /** Why a signature is refused; null when it is valid. */
    public static String problem(String header, String payload, String secret, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return "Stripe-Signature header is missing";
        }
        if (secret == null || secret.isBlank()) {
            return "no webhook signing secret is configured for this gateway";
        }
        Long t = null;
        List<String> v1 = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1].trim());
                } catch (NumberFormatException e) {
                    return "Stripe-Signature timestamp is not a number";
                }
            } else if (kv[0].equals("v1")) {
                v1.add(kv[1].trim());
            }
        }
        if (t == null || v1.isEmpty()) {
            return "Stripe-Signature needs t= and v1=";
        }
        if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return "Stripe-Signature timestamp is outside the tolerance of " + tolerance.toSeconds() + " s";
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, t + "." + payload)).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : v1) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
        }
        return "Stripe-Signature does not match the payload";
    }

    /** The header a gateway would send for this payload at time t (the sandbox and tests sign with it). */
    public static String sign(String payload, String secret, long t) {
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t + "." + payload));
    }

    private static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
