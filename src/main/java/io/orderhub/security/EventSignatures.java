package io.orderhub.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The origin of lifecycle events: the outbox relay signs every event it publishes to {@code orders.events} with
 * an HMAC-SHA256 over its event type, its order id and its body, keyed with the hub's secret
 * ({@code orderhub.events.signing-secret}), in the message property {@link #PROPERTY}; the stages and the
 * outbound subscribers (ERP, CRM, notifications) act only on an event whose signature matches, and dead-letter
 * any other (routes/event-origin.camel.yaml). One MAC per message, from a per-thread instance: this is on the
 * path of every event.
 *
 * <p>Every instance of the hub must have the same secret. The embedded default's demo secret (starting with
 * {@code demo-}) is refused in any other profile, and so is none at all.
 */
@Component
public class EventSignatures {

    /** The JMS string property holding the signature (Base64 of the HMAC-SHA256). */
    public static final String PROPERTY = "hubSignature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte SEPARATOR = 0;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public EventSignatures(@Value("${orderhub.events.signing-secret}") String secret, Environment environment) {
        if (!StringUtils.hasText(secret)) {
            throw new IllegalStateException("orderhub.events.signing-secret (ORDERHUB_EVENTS_SIGNING_SECRET) is not set: "
                    + "the hub signs the lifecycle events it publishes and its consumers act only on signed ones; give "
                    + "every instance the same secret of at least 32 characters");
        }
        String[] profiles = environment.getActiveProfiles();
        if (profiles.length > 0 && secret.startsWith("demo-")) {
            throw new IllegalStateException("orderhub.events.signing-secret is the demo secret, which is allowed only in "
                    + "the embedded default; profiles " + Arrays.toString(profiles) + " need a real one "
                    + "(ORDERHUB_EVENTS_SIGNING_SECRET)");
        }
        if (secret.length() < 16) {
            throw new IllegalStateException("orderhub.events.signing-secret is shorter than 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The signature of an event: HMAC-SHA256 over type, order id and body, Base64. */
    public String sign(String eventType, String orderId, String body) {
        return Base64.getEncoder().encodeToString(mac(eventType, orderId, body));
    }

    /**
     * Throws {@link ForgedEventException} with the reason unless {@code signature} is the hub's signature of this
     * event type, order id and body.
     */
    public void verify(String eventType, String orderId, String body, String signature) {
        if (signature == null || signature.isBlank()) {
            throw new ForgedEventException("the event (type " + eventType + ", order " + orderId + ") carries no "
                    + PROPERTY + ": the hub did not publish it, so no stage or subscriber acts on it");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        if (!MessageDigest.isEqual(mac(eventType, orderId, body), given)) {
            throw new ForgedEventException("the event's " + PROPERTY + " does not match its type (" + eventType
                    + "), order id (" + orderId + ") and body: it was not published by this hub, or was altered since");
        }
    }

    private byte[] mac(String eventType, String orderId, String body) {
        Mac mac = macs.get();
        mac.update(bytes(eventType));
        mac.update(SEPARATOR);
        mac.update(bytes(orderId));
        mac.update(SEPARATOR);
        // doFinal resets the instance for the next message of this thread
        return mac.doFinal(bytes(body));
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    /** An event whose origin is not the hub: dead-lettered with this reason, never acted on. */
    public static class ForgedEventException extends RuntimeException {
        public ForgedEventException(String message) {
            super(message);
        }
    }
}
