package io.orderhub.crypto;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The customers' data keys ({@code customer_keys}): one random AES-256 key per customer, named by the customer's keyed
 * hash, stored wrapped by the key ring's active key (a rotation re-wraps it). {@link #forCustomer} finds or creates it
 * (each write checks that the row still exists, so a key destroyed by an erasure on another instance is never reused);
 * {@link DataCipher} asks {@link #unwrap} for it when a value names it. {@link #destroy} deletes it: every value
 * encrypted under it, wherever a copy of it survives, can then no longer be read.
 */
@Service
public class CustomerKeys {

    private static final int MAX_CACHED = 10_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final DataCipher cipher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Unwrapped keys by wrapped value (a re-wrapped or destroyed key is looked up afresh). */
    private final Map<String, SecretKey> unwrapped = new ConcurrentHashMap<>();
    /**
     * Keys by id, for reads: every read of an order names its document's key, and looking it up in the database each
     * time cost a query per read (issue 17's benchmark). A key's bytes never change (a rotation re-wraps them), and a
     * destroyed key is dropped here by the instance that destroys it; another instance may keep it in memory, but
     * every value the hub can still read under it was rewritten by the erasure, so only copies outside the hub (the
     * backups this protects against) were encrypted with it.
     */
    private final Map<String, SecretKey> byId = new ConcurrentHashMap<>();

    private final org.springframework.transaction.support.TransactionTemplate savepoint;
    /** What else keeps values read under data keys in memory, told when keys are destroyed ({@link #onDestroy}). */
    private final List<Runnable> destroyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * Counts the destructions seen: a reader notes it before it reads a key (or a value under one) and keeps what it
     * read in memory only if no destruction happened meanwhile ({@link #generation}). Without it a read racing an
     * erasure could put the destroyed key, or the value it opened, back into a cache just emptied.
     */
    private final AtomicLong generation = new AtomicLong();

    public CustomerKeys(NamedParameterJdbcTemplate jdbc, DataCipher cipher, Clock clock,
                        org.springframework.transaction.PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // the insert in a savepoint of the caller's transaction: losing a race rolls back only the insert (PostgreSQL
        // aborts the whole transaction on a failed statement otherwise)
        this.savepoint = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
        this.cipher = cipher;
        this.clock = clock;
        cipher.dataKeys(this::unwrap);
    }

    /** The data key of the customer of this keyed hash, created on first use; null hash: null (the ring key applies). */
    public DataKey forCustomer(String customerHmac) {
        if (customerHmac == null) {
            return null;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "select key_id, wrapped_key from customer_keys where customer_hmac = :hash",
                    new MapSqlParameterSource("hash", customerHmac));
            if (!rows.isEmpty()) {
                String id = (String) rows.get(0).get("key_id");
                return new DataKey(id, key(id, (String) rows.get(0).get("wrapped_key")));
            }
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            byte[] idBytes = new byte[12];
            random.nextBytes(idBytes);
            String id = DataKey.PREFIX + HexFormat.of().formatHex(idBytes);
            try {
                savepoint.executeWithoutResult(s -> jdbc.update("""
                        insert into customer_keys (key_id, customer_hmac, wrapped_key, created_at)
                        values (:id, :hash, :wrapped, :now)
                        """, new MapSqlParameterSource("id", id).addValue("hash", customerHmac)
                        .addValue("wrapped", cipher.sealText(Base64.getEncoder().encodeToString(raw)))
                        .addValue("now", Timestamp.from(clock.instant()))));
                return new DataKey(id, new SecretKeySpec(raw, "AES"));
            } catch (DuplicateKeyException raced) {
                // another writer created the customer's key first: use that one
            }
        }
        throw new IllegalStateException("cannot create or find the customer's data key");
    }

    /**
     * The data key of the customer of this keyed hash when there is one, without creating it: for values that belong
     * to a customer only when the hub knows one (a mail's recipient); null: the ring key applies.
     */
    public DataKey existing(String customerHmac) {
        if (customerHmac == null) {
            return null;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select key_id, wrapped_key from customer_keys where customer_hmac = :hash",
                new MapSqlParameterSource("hash", customerHmac));
        return rows.isEmpty() ? null
                : new DataKey((String) rows.get(0).get("key_id"), key((String) rows.get(0).get("key_id"), (String) rows.get(0).get("wrapped_key")));
    }

    /**
     * Re-encrypts a raw document ({@code receipts.body}) under the customer's data key, unless it already is under a
     * data key (a document with orders of several customers stays under the first one's) or holds nothing.
     */
    public void sealReceipt(String receiptId, DataKey key) {
        if (receiptId == null || key == null) {
            return;
        }
        List<byte[]> bodies = jdbc.query("select body from receipts where receipt_id = :id",
                new MapSqlParameterSource("id", receiptId), (rs, n) -> rs.getBytes(1));
        if (bodies.isEmpty() || bodies.get(0) == null || bodies.get(0).length == 0
                || DataKey.isDataKeyId(DataCipher.keyIdOf(bodies.get(0)))) {
            return;
        }
        byte[] old = bodies.get(0);
        jdbc.update("update receipts set body = :body where receipt_id = :id and body = :old",
                new MapSqlParameterSource("id", receiptId).addValue("old", old).addValue("body", cipher.seal(cipher.open(old), key)));
        sealMailSender(receiptId, key);
    }

    /**
     * The sender of the e-mail a receipt came in ({@code mail_messages.sender}, stored under the ring key when the mail
     * was claimed, before its order was known): re-encrypted under the same data key as the raw document, so an erasure
     * shreds it with the document. Only receipts that came by e-mail are looked up.
     */
    private void sealMailSender(String receiptId, DataKey key) {
        List<String> via = jdbc.queryForList("select via from receipts where receipt_id = :id",
                new MapSqlParameterSource("id", receiptId), String.class);
        if (via.isEmpty() || !"email".equals(via.get(0))) {
            return;
        }
        List<Map<String, Object>> mails = jdbc.queryForList("""
                select message_id, sender from mail_messages
                where sender is not null and ',' || receipt_ids || ',' like :receipt
                """, new MapSqlParameterSource("receipt", "%," + receiptId + ",%"));
        for (Map<String, Object> mail : mails) {
            String old = (String) mail.get("sender");
            if (!DataKey.isDataKeyId(DataCipher.keyIdOf(old))) {
                jdbc.update("update mail_messages set sender = :sender where message_id = :id and sender = :old",
                        new MapSqlParameterSource("id", mail.get("message_id")).addValue("old", old)
                                .addValue("sender", cipher.sealText(cipher.openText(old), key)));
            }
        }
    }

    /**
     * The data key the order's document is stored under (its customer's), or null: an order without a customer key
     * (no e-mail, no CRM id), an erased order (its document is back under the ring key), or no such order. Used to
     * seal the hub's copies of the order's events ({@code outbox}, {@code sync_dead_letters}) under the same key.
     */
    public DataKey forOrder(String orderId) {
        if (orderId == null) {
            return null;
        }
        int length = DataCipher.TEXT_PREFIX.length() + 64;
        List<String> heads = jdbc.queryForList("select left(document, " + length + ") from orders where order_id = :id",
                new MapSqlParameterSource("id", orderId), String.class);
        String id = heads.isEmpty() ? null : DataCipher.keyIdOf(heads.get(0));
        if (!DataKey.isDataKeyId(id)) {
            return null;
        }
        try {
            return new DataKey(id, unwrap(id));
        } catch (IllegalStateException destroyed) {
            return null;
        }
    }

    /** The key of a value that names it; throws when it was destroyed (the customer's data was erased). */
    SecretKey unwrap(String keyId) {
        SecretKey known = byId.get(keyId);
        if (known != null) {
            return known;
        }
        long seen = generation.get();
        List<String> wrapped = jdbc.queryForList("select wrapped_key from customer_keys where key_id = :id",
                new MapSqlParameterSource("id", keyId), String.class);
        if (wrapped.isEmpty()) {
            throw new IllegalStateException("a value was encrypted with the customer data key '" + keyId
                    + "', which was destroyed when the customer's personal data was erased");
        }
        SecretKey key = key(keyId, wrapped.get(0));
        if (byId.size() >= MAX_CACHED) {
            byId.clear();
        }
        if (generation.get() == seen) {
            byId.put(keyId, key);
        }
        return key;
    }

    /** Destroys the data keys (ids not naming a data key are ignored); answers how many were deleted. */
    public int destroy(Collection<String> keyIds) {
        List<String> ids = keyIds.stream().filter(DataKey::isDataKeyId).distinct().toList();
        if (ids.isEmpty()) {
            return 0;
        }
        int deleted = jdbc.update("delete from customer_keys where key_id in (:ids)", new MapSqlParameterSource("ids", ids));
        forgetAfterDelete();
        return deleted;
    }

    /** Destroys the data key of the customer of this keyed hash, if any. */
    public int destroyForCustomer(String customerHmac) {
        if (customerHmac == null) {
            return 0;
        }
        int deleted = jdbc.update("delete from customer_keys where customer_hmac = :hash",
                new MapSqlParameterSource("hash", customerHmac));
        forgetAfterDelete();
        return deleted;
    }

    /**
     * A number that changes whenever data keys are destroyed: a cache of values read under data keys notes it before
     * the read and keeps the value only if it is unchanged after, so a read that raced a destruction is not kept.
     */
    public long generation() {
        return generation.get();
    }

    /**
     * Runs {@code forget} whenever data keys are destroyed: a cache of values read under them (the order repository's
     * decrypted documents) drops them, so an erased customer's clear values do not stay in this instance's memory.
     */
    public void onDestroy(Runnable forget) {
        destroyListeners.add(forget);
    }

    /**
     * Forgets the cached keys once the delete ran, and again when its transaction commits: until then other
     * transactions still see the key's row, and a read among them could cache it anew.
     */
    private void forgetAfterDelete() {
        forgetAll();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forgetAll();
                }
            });
        }
    }

    private void forgetAll() {
        generation.incrementAndGet();
        unwrapped.clear();
        byId.clear();
        destroyListeners.forEach(Runnable::run);
    }

    private SecretKey key(String id, String wrapped) {
        SecretKey key = unwrapped.get(wrapped);
        if (key == null) {
            long seen = generation.get();
            byte[] raw = Base64.getDecoder().decode(cipher.openText(wrapped));
            if (raw.length != 32) {
                throw new IllegalStateException("the customer data key " + id + " is not 32 bytes");
            }
            key = new SecretKeySpec(raw, "AES");
            if (unwrapped.size() >= MAX_CACHED) {
                unwrapped.clear();
            }
            if (generation.get() == seen) {
                unwrapped.put(wrapped, key);
            }
        }
        return key;
    }
}
