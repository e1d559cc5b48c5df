package io.orderhub.crypto;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The data encryption keys: AES keys by id, one of them active (new writes), the others still decrypting
 * what they wrote; and the HMAC key of the search columns (never rotated, so an index stays findable).
 * <p>
 * The file is a properties file: {@code key.<id>=<base64 of 16, 24 or 32 bytes>} per key,
 * {@code hmac=<base64 of at least 32 bytes>}, optionally {@code active=<id>} (overridden by
 * {@code ORDERHUB_CRYPTO_ACTIVE_KEY}). Key ids are 1-32 letters, digits, '-' or '_'.
 */
public final class KeyRing {

    private final Map<String, SecretKey> keys;
    private final String activeId;
    private final SecretKey hmacKey;

    public KeyRing(Map<String, byte[]> keys, String activeId, byte[] hmacKey) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("the key ring holds no key (key.<id>=<base64>)");
        }
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalStateException("key ring: key id '" + id + "' must be 1-32 letters, digits, '-' or '_'");
            }
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalStateException("key ring: key " + id + " must be 16, 24 or 32 bytes (AES), not " + bytes.length);
            }
            ring.put(id, new SecretKeySpec(bytes, "AES"));
        });
        if (activeId == null || !ring.containsKey(activeId)) {
            throw new IllegalStateException("key ring: the active key '" + activeId + "' is not in the ring " + ring.keySet());
        }
        if (hmacKey == null || hmacKey.length < 32) {
            throw new IllegalStateException("key ring: hmac must be at least 32 bytes (base64)");
        }
        this.keys = Map.copyOf(ring);
        this.activeId = activeId;
        this.hmacKey = new SecretKeySpec(hmacKey, "HmacSHA256");
    }

    public String activeId() {
        return activeId;
    }

    public SecretKey active() {
        return keys.get(activeId);
    }

    /** The key of that id; throws naming the id when the ring does not hold it. */
    public SecretKey key(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("a value was encrypted with key '" + id + "', which the key ring does not hold");
        }
        return key;
    }

    public java.util.Set<String> ids() {
        return new java.util.TreeSet<>(keys.keySet());
    }

    SecretKey hmacKey() {
        return hmacKey;
    }

    /** Reads a key ring file; {@code activeOverride} (when not blank) names the active key. */
    public static KeyRing load(Path file, String activeOverride) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the key ring ORDERHUB_CRYPTO_KEYRING_FILE=" + file + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> keys = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("key.")) {
                keys.put(name.substring(4), decode(file, name, p.getProperty(name)));
            }
        }
        String active = activeOverride != null && !activeOverride.isBlank() ? activeOverride.trim() : p.getProperty("active");
        String hmac = p.getProperty("hmac");
        if (hmac == null) {
            throw new IllegalStateException("key ring " + file + ": hmac=<base64> is missing");
        }
        try {
            return new KeyRing(keys, active == null ? null : active.trim(), decode(file, "hmac", hmac));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new key ring file (one AES-256 key {@code initialId}, active, and an HMAC key), readable by its owner only. */
    public static void create(Path file, String initialId) {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        byte[] hmac = new byte[32];
        random.nextBytes(key);
        random.nextBytes(hmac);
        Base64.Encoder b64 = Base64.getEncoder();
        String text = "# OrderHub data key ring: keep it secret and back it up apart from the database backups.\n"
                + "# Add a key as key.<id>=<base64 of 32 random bytes>, make it active, then POST /api/ops/crypto/rotate.\n"
                + "active=" + initialId + "\n"
                + "key." + initialId + "=" + b64.encodeToString(key) + "\n"
                + "hmac=" + b64.encodeToString(hmac) + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's protection applies
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the key ring " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decode(Path file, String name, String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key ring " + file + ": " + name + " is not base64");
        }
    }
}
