package io.orderhub.crypto;

import javax.crypto.SecretKey;

/**
 * A customer's data key: the AES-256 key a customer's order documents and raw documents are encrypted under, kept in
 * {@code customer_keys} wrapped by the key ring, and destroyed by an erasure (crypto-shredding). Its id starts with
 * {@value #PREFIX}, which no key ring id can (ring ids have no dot), so a value names which kind of key it needs.
 */
public record DataKey(String id, SecretKey key) {

    public static final String PREFIX = "c.";

    public static boolean isDataKeyId(String keyId) {
        return keyId != null && keyId.startsWith(PREFIX);
    }
}
