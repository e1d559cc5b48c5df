package io.orderhub.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM encryption of stored values under the {@link KeyRing}. Each value carries the id of its key, so
 * new writes use the active key and values written under an older key still decrypt.
 * <ul>
 * <li>bytes ({@code receipts.body}): {@code "OHE1"}, one byte key id length, the key id, a 12-byte nonce,
 *     the ciphertext with its 16-byte tag;</li>
 * <li>text ({@code orders.document}, personal columns): {@code ohe1:<keyId>:<base64 of nonce + ciphertext>}.</li>
 * </ul>
 * Values without the prefix are read as they are (rows written before encryption, until a rotation
 * encrypts them; a receipt body blanked by retention). Each nonce is random (96 bits from a per-thread
 * {@link SecureRandom}); {@link Cipher} and {@link Mac} objects are kept per thread.
 */
public final class DataCipher {

    static final byte[] MAGIC = "OHE1".getBytes(StandardCharsets.US_ASCII);
    static final String TEXT_PREFIX = "ohe1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing ring;
    private final byte[] activeHeader;
    private final String activeTextPrefix;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(DataCipher::newCipher);
    private final ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(SecureRandom::new);
    private final ThreadLocal<Mac> macs;
    private volatile java.util.function.Function<String, SecretKey> dataKeys;

    public DataCipher(KeyRing ring) {
        this.ring = ring;
        byte[] id = ring.activeId().getBytes(StandardCharsets.US_ASCII);
        this.activeHeader = ByteBuffer.allocate(MAGIC.length + 1 + id.length).put(MAGIC).put((byte) id.length).put(id).array();
        this.activeTextPrefix = TEXT_PREFIX + ring.activeId() + ":";
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(ring.hmacKey());
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    public String activeKeyId() {
        return ring.activeId();
    }

    /** The bytes encrypted under the active key (null stays null). */
    public byte[] seal(byte[] clear) {
        return seal(clear, activeHeader, ring.active());
    }

    /** The bytes encrypted under a customer's data key (null stays null). */
    public byte[] seal(byte[] clear, DataKey key) {
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        return seal(clear, ByteBuffer.allocate(MAGIC.length + 1 + id.length).put(MAGIC).put((byte) id.length).put(id).array(),
                key.key());
    }

    private byte[] seal(byte[] clear, byte[] header, SecretKey key) {
        if (clear == null) {
            return null;
        }
        byte[] out = new byte[header.length + NONCE + clear.length + TAG_BITS / 8];
        System.arraycopy(header, 0, out, 0, header.length);
        byte[] nonce = nonce();
        System.arraycopy(nonce, 0, out, header.length, NONCE);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.doFinal(clear, 0, clear.length, out, header.length + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** The clear bytes of a value {@link #seal} wrote; bytes without the header are returned as they are. */
    public byte[] open(byte[] stored) {
        if (!sealed(stored)) {
            return stored;
        }
        int idLength = stored[MAGIC.length] & 0xff;
        int start = MAGIC.length + 1 + idLength;
        if (stored.length < start + NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("an encrypted value is truncated");
        }
        String keyId = new String(stored, MAGIC.length + 1, idLength, StandardCharsets.US_ASCII);
        return decrypt(keyId, stored, start, stored.length - start);
    }

    /** The text encrypted under the active key (null stays null). */
    public String sealText(String clear) {
        return sealText(clear, activeTextPrefix, ring.active());
    }

    /** The text encrypted under a customer's data key (null stays null). */
    public String sealText(String clear, DataKey key) {
        return sealText(clear, TEXT_PREFIX + key.id() + ":", key.key());
    }

    private String sealText(String clear, String prefix, SecretKey key) {
        if (clear == null) {
            return null;
        }
        byte[] bytes = clear.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[NONCE + bytes.length + TAG_BITS / 8];
        byte[] nonce = nonce();
        System.arraycopy(nonce, 0, body, 0, NONCE);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.doFinal(bytes, 0, bytes.length, body, NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getMessage(), e);
        }
        return prefix + Base64.getEncoder().encodeToString(body);
    }

    /** The clear text of a value {@link #sealText} wrote; text without the prefix is returned as it is. */
    public String openText(String stored) {
        if (stored == null || !stored.startsWith(TEXT_PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', TEXT_PREFIX.length());
        if (colon < 0) {
            throw new IllegalStateException("an encrypted value names no key");
        }
        String keyId = stored.substring(TEXT_PREFIX.length(), colon);
        byte[] body;
        try {
            body = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("an encrypted value is not base64 after its key id");
        }
        if (body.length < NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("an encrypted value is truncated");
        }
        return new String(decrypt(keyId, body, 0, body.length), StandardCharsets.UTF_8);
    }

    /** True when the bytes were written by {@link #seal}. */
    public static boolean sealed(byte[] stored) {
        return stored != null && stored.length > MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The key id of a sealed value, or null for a clear one. */
    public static String keyIdOf(byte[] stored) {
        return sealed(stored) ? new String(stored, MAGIC.length + 1, stored[MAGIC.length] & 0xff, StandardCharsets.US_ASCII) : null;
    }

    /** The key id of a sealed text, or null for a clear one. */
    public static String keyIdOf(String stored) {
        if (stored == null || !stored.startsWith(TEXT_PREFIX)) {
            return null;
        }
        int colon = stored.indexOf(':', TEXT_PREFIX.length());
        return colon < 0 ? null : stored.substring(TEXT_PREFIX.length(), colon);
    }

    /**
     * True when the value needs no rotation: null, sealed under the active key, or under a customer's data key (those
     * are not re-encrypted: the ring key that wraps them is, in {@code customer_keys}).
     */
    public boolean current(byte[] stored) {
        String id = keyIdOf(stored);
        return stored == null || stored.length == 0 || ring.activeId().equals(id) || DataKey.isDataKeyId(id);
    }

    public boolean current(String stored) {
        String id = keyIdOf(stored);
        return stored == null || ring.activeId().equals(id) || DataKey.isDataKeyId(id);
    }

    /** Where the customers' data keys come from when a value names one ({@link CustomerKeys}). */
    public void dataKeys(java.util.function.Function<String, SecretKey> dataKeys) {
        this.dataKeys = dataKeys;
    }

    /**
     * The keyed hash of a search value (HMAC-SHA256, hex), after trimming and lower-casing: equal e-mail addresses
     * give equal hashes, and the column reveals nothing without the key. Null stays null.
     */
    public String searchHash(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        byte[] mac = macs.get().doFinal(value.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(mac);
    }

    /** The keyed hash of an identifier as it is (case kept: ids differing in case are different customers). */
    public String idHash(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return java.util.HexFormat.of().formatHex(macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] decrypt(String keyId, byte[] buf, int offset, int length) {
        SecretKey key;
        if (DataKey.isDataKeyId(keyId)) {
            if (dataKeys == null) {
                throw new IllegalStateException("a value was encrypted with the customer data key '" + keyId
                        + "', and no data keys are available here");
            }
            key = dataKeys.apply(keyId);
        } else {
            key = ring.key(keyId);
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, buf, offset, NONCE));
            return c.doFinal(buf, offset + NONCE, length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("an encrypted value under key '" + keyId + "' fails its integrity check", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed: " + e.getMessage(), e);
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        randoms.get().nextBytes(nonce);
        return nonce;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }
}
