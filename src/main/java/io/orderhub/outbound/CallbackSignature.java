package io.orderhub.outbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a document POSTed to a partner's callback (docs/b2b-outbound.md): header
 * {@code X-OrderHub-Signature: sha256=<hex HMAC-SHA256 of the body under the channel's secret>}, which the
 * partner computes again over the bytes it received, with the same secret.
 */
public final class CallbackSignature {

    public static final String HEADER = "X-OrderHub-Signature";

    private CallbackSignature() {
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} under {@code secret} (UTF-8). */
    public static String of(String secret, byte[] body) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("no secret to sign the callback with");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
