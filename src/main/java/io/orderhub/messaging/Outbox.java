package io.orderhub.messaging;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. {@link #append} writes an event in the same transaction as the state
 * change it describes; the relay route claims unpublished events in order ({@link #claimBatch}),
 * publishes them to {@code orders.events} ({@link EventPublisher}) and marks them
 * ({@link #markPublished}), all in one database transaction that holds the relay lock, so one
 * instance publishes at a time, in commit order. A crash after publishing and before the commit
 * publishes again: the broker's duplicate detection drops it, and consumers dedupe by eventId.
 */
@Repository
public class Outbox {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final String instanceId;
    private final int batchSize;
    private final List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final io.orderhub.crypto.DataCipher cipher;
    /** The customers' data keys: an order's events are stored under its customer's (crypto-shredded by an erasure). */
    private volatile io.orderhub.crypto.CustomerKeys customerKeys;
    /**
     * The broker's copy (sealed under the ring key) of events this instance appended under a customer's data key, by
     * event id, until the relay takes it: the relay then neither opens the stored row nor seals it again (one AES-GCM
     * decryption less per event, some 2 % of the hub's CPU under load, issue 17). Ciphertext only; at most
     * {@value #BROKER_COPIES} events; a miss (another instance's event, a restart, a long backlog) opens the row as
     * before. Emptied when data keys are destroyed.
     */
    private final Map<String, String> brokerCopies = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > BROKER_COPIES;
                }
            });

    static final int BROKER_COPIES = 2048;

    @org.springframework.beans.factory.annotation.Autowired
    public Outbox(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, io.orderhub.crypto.DataCipher cipher,
                  @org.springframework.beans.factory.annotation.Value("${orderhub.instance-id}") String instanceId,
                  OutboxProperties outbox, io.micrometer.core.instrument.MeterRegistry meters) {
        this(jdbc, json, clock, cipher, instanceId, outbox.batchSize(), meters);
    }

    /** With the batch size given (tests). */
    public Outbox(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, io.orderhub.crypto.DataCipher cipher,
                  String instanceId, int batchSize, io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.Gauge.builder("orderhub.outbox.backlog", this, Outbox::backlog)
                .description("lifecycle events committed but not yet published to orders.events").register(meters);
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.instanceId = instanceId;
        this.batchSize = batchSize;
    }

    @org.springframework.beans.factory.annotation.Autowired(required = false)
    public void setCustomerKeys(io.orderhub.crypto.CustomerKeys customerKeys) {
        this.customerKeys = customerKeys;
        customerKeys.onDestroy(brokerCopies::clear);
    }

    /**
     * Runs {@code listener} after each commit of a transaction that appended events ({@link RelaySchedule}: the
     * relay publishes them at once instead of at its next poll). The listener must return at once.
     */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /** Adds an event; must run inside the transaction of the change it reports. */
    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxEvent append(String orderId, String type, String status, Object data) {
        if (!commitListeners.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    commitListeners.forEach(Runnable::run);
                }
            });
        }
        OutboxEvent event = new OutboxEvent(UUID.randomUUID().toString(), orderId, type, status, clock.instant(), data);
        // encrypted at rest and on the broker: events carry the order with its customer's personal data. Stored under
        // the customer's data key when the order has one (an erasure destroys it: every copy of the row, in a backup
        // too, is then unreadable); its broker copy is sealed under the ring key now and kept for the relay (brokerCopies).
        io.orderhub.crypto.DataKey key = customerKeys == null ? null : customerKeys.forOrder(orderId);
        String clear = toJson(event);
        String sealed;
        if (key == null) {
            sealed = cipher.sealText(clear);
        } else {
            sealed = cipher.sealText(clear, key);
            brokerCopies.put(event.eventId(), cipher.sealText(clear));
        }
        jdbc.update("""
                insert into outbox (event_id, order_id, type, status, at, payload)
                values (:eventId, :orderId, :type, :status, :at, :payload)
                """, new MapSqlParameterSource()
                .addValue("eventId", event.eventId())
                .addValue("orderId", orderId)
                .addValue("type", type)
                .addValue("status", status)
                .addValue("at", Timestamp.from(event.at()))
                .addValue("payload", sealed));
        return event;
    }

    /**
     * Takes the relay lock (or returns nothing when another instance holds it) and returns the oldest
     * unpublished events. Must run in the relay's transaction, which keeps the lock until it commits.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<PendingEvent> claimBatch() {
        // an idle relay run only reads: no lock taken, nothing written
        if (jdbc.queryForList("select id from outbox where published_at is null order by id limit 1",
                new MapSqlParameterSource(), Long.class).isEmpty()) {
            return List.of();
        }
        List<String> lock = jdbc.query("""
                select name from outbox_relay_lock where name = 'orders.events' for update skip locked
                """, new MapSqlParameterSource(), (rs, n) -> rs.getString(1));
        if (lock.isEmpty()) {
            return List.of();
        }
        jdbc.update("update outbox_relay_lock set holder = :holder, last_run = :now where name = 'orders.events'",
                new MapSqlParameterSource("holder", instanceId).addValue("now", Timestamp.from(clock.instant())));
        // with the order's channel (none for an event without a stored order), for the message's properties
        return jdbc.query("""
                select e.id, e.event_id, e.order_id, e.type, e.payload, o.channel from outbox e
                left join orders o on o.order_id = e.order_id
                where e.published_at is null order by e.id limit :limit
                """, new MapSqlParameterSource("limit", batchSize),
                (rs, n) -> new PendingEvent(rs.getLong("id"), rs.getString("event_id"), rs.getString("order_id"),
                        rs.getString("type"), sealed(rs.getString("event_id"), rs.getString("payload")),
                        rs.getString("channel")));
    }

    /**
     * The payload as it goes on the broker: sealed under a key ring key, so neither the queues nor the broker's journal
     * hold the order's personal data in clear, and a subscriber with the key ring reads it. A row under a ring key is
     * sent as it is; a row under the customer's data key goes as the copy sealed under the ring key when it was
     * appended ({@link #brokerCopies}), else it is opened and sealed under the active ring key (one decryption and one
     * encryption); a row written before encryption is sealed now. A row whose data key
     * was destroyed meanwhile (an erasure racing the append) goes as it is: its consumers cannot open it and dead-letter
     * it with the reason. Each consumer opens it once, after checking the hub's signature
     * ({@code io.orderhub.security.camel.EventOrigin}).
     */
    private String sealed(String eventId, String stored) {
        String keyId = io.orderhub.crypto.DataCipher.keyIdOf(stored);
        if (stored == null) {
            return null;
        }
        if (keyId == null) {
            return cipher.sealText(stored);
        }
        if (io.orderhub.crypto.DataKey.isDataKeyId(keyId)) {
            String copy = brokerCopies.remove(eventId);
            if (copy != null) {
                return copy;
            }
            try {
                return cipher.sealText(cipher.openText(stored));
            } catch (IllegalStateException destroyed) {
                return stored;
            }
        }
        return stored;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markPublished(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.update("update outbox set published_at = :now where id in (:ids)",
                new MapSqlParameterSource("ids", ids).addValue("now", Timestamp.from(clock.instant())));
    }

    /** Events not yet published (for health and metrics). */
    public long backlog() {
        Long n = jdbc.queryForObject("select count(*) from outbox where published_at is null",
                new MapSqlParameterSource(), Long.class);
        return n == null ? 0 : n;
    }

    public Instant now() {
        return clock.instant();
    }

    private String toJson(OutboxEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    /**
     * An event waiting for the relay: {@code payload} is the message body, {@code channel} its order's channel (null
     * when no order is stored under its order id).
     */
    public record PendingEvent(long id, String eventId, String orderId, String type, String payload, String channel) {

        public PendingEvent(long id, String eventId, String orderId, String type, String payload) {
            this(id, eventId, orderId, type, payload, null);
        }
    }
}
