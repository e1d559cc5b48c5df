package io.orderhub.sync.inbound;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Customers as the CRM owns them: contact data and the credit limit that invoice payments check, and the
 * sales channel in whose orders the customer may pay by invoice ({@code invoiceChannel}, set by the CRM or an
 * operator; the external id must then be {@code <channel>-<the channel's customer id>}).
 * The CRM pushes a customer by its external id ({@code PUT /api/customers/{externalId}}); an update
 * carrying {@code updatedAt} older than the stored one is stale and changes nothing, so updates that
 * overtake each other leave the newest in place.
 */
@Service
public class CrmCustomers {

    public static final String EXTERNAL_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._@:+-]{0,99}";

    public record Customer(String externalId, String name, String email, String phone, String company,
                           BigDecimal creditLimit, String currency, Instant crmUpdatedAt, Instant updatedAt,
                           String invoiceChannel) {
    }

    /** The stored customer after an update; {@code created} for a new one, {@code stale} when the update was older. */
    public record Stored(Customer customer, boolean created, boolean stale) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ChannelRegistry channels;
    private final io.orderhub.crypto.DataCipher cipher;
    private final io.orderhub.crypto.CustomerKeys customerKeys;

    public CrmCustomers(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions,
                        ChannelRegistry channels, io.orderhub.crypto.DataCipher cipher,
                        io.orderhub.crypto.CustomerKeys customerKeys) {
        this.cipher = cipher;
        this.customerKeys = customerKeys;
        this.channels = channels;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    public Optional<Customer> find(String externalId) {
        requireId(externalId);
        return jdbc.query("select * from customers where external_id = :id", new MapSqlParameterSource("id", externalId),
                this::map).stream().findFirst();
    }

    /**
     * The customer, its row locked until the caller's transaction ends ({@code select ... for update}): the
     * payment stage holds it while it adds up the customer's open invoices and records a new one, so concurrent
     * orders of one customer are approved one after the other against the same limit.
     */
    public Optional<Customer> lockForCredit(String externalId) {
        requireId(externalId);
        return jdbc.query("select * from customers where external_id = :id for update",
                new MapSqlParameterSource("id", externalId), this::map).stream().findFirst();
    }

    /** The row with its personal columns decrypted. */
    private Customer map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Customer(rs.getString("external_id"), cipher.openText(rs.getString("name")),
                cipher.openText(rs.getString("email")), cipher.openText(rs.getString("phone")),
                cipher.openText(rs.getString("company")), rs.getBigDecimal("credit_limit"),
                rs.getString("currency"), instant(rs.getTimestamp("crm_updated_at")),
                instant(rs.getTimestamp("updated_at")), rs.getString("invoice_channel"));
    }

    /** {@code GET /api/customers/{externalId}}. */
    public Customer get(String externalId) {
        return find(externalId).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "externalId",
                "no customer '" + externalId + "'"));
    }

    /** {@code PUT /api/customers/{externalId}}: {name, email?, phone?, company?, creditLimit?, currency?, updatedAt?}. */
    public Stored put(String externalId, JsonNode body) {
        requireId(externalId);
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = text(body, "name", 200, errors);
        if (name == null && errors.stream().noneMatch(e -> e.field().equals("/name"))) {
            errors.add(FieldError.of("/name", "is required"));
        }
        String email = text(body, "email", 320, errors);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            errors.add(FieldError.of("/email", "must be an e-mail address"));
        }
        String phone = text(body, "phone", 50, errors);
        String company = text(body, "company", 200, errors);
        BigDecimal creditLimit = null;
        JsonNode limit = body.get("creditLimit");
        if (limit != null && !limit.isNull()) {
            if (!limit.isNumber() || limit.decimalValue().signum() < 0 || limit.decimalValue().scale() > 4
                    || limit.decimalValue().precision() - limit.decimalValue().scale() > 15) {
                errors.add(FieldError.of("/creditLimit", "must be an amount of at least 0 with at most 4 decimals, got " + limit));
            } else {
                creditLimit = limit.decimalValue();
            }
        }
        String currency = text(body, "currency", 3, errors);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            errors.add(FieldError.of("/currency", "must be an ISO 4217 code such as EUR"));
        }
        if (creditLimit != null && currency == null && errors.stream().noneMatch(e -> e.field().equals("/currency"))) {
            errors.add(FieldError.of("/currency", "is required with creditLimit"));
        }
        // the channel whose orders may pay by invoice on this customer's credit: absent keeps the stored one, null unbinds
        boolean bindsChannel = body.has("invoiceChannel");
        String invoiceChannel = text(body, "invoiceChannel", 64, errors);
        if (invoiceChannel != null) {
            if (channels.find(invoiceChannel).isEmpty()) {
                errors.add(FieldError.of("/invoiceChannel", "channel '" + invoiceChannel + "' is not configured in "
                        + ChannelRegistry.FILE));
            } else if (!externalId.startsWith(invoiceChannel + "-") || externalId.length() == invoiceChannel.length() + 1) {
                errors.add(FieldError.of("/invoiceChannel", "a customer paying by invoice in channel '" + invoiceChannel
                        + "' has the external id " + invoiceChannel + "-<the channel's customer id>, not " + externalId));
            } else if (!channels.find(invoiceChannel).get().allowsPaymentMethod("invoice")) {
                errors.add(FieldError.of("/invoiceChannel", "channel '" + invoiceChannel
                        + "' does not allow payment by invoice (paymentMethods in " + ChannelRegistry.FILE + ")"));
            }
        }
        Instant crmUpdatedAt = null;
        String updatedAt = text(body, "updatedAt", 40, errors);
        if (updatedAt != null) {
            try {
                crmUpdatedAt = OffsetDateTime.parse(updatedAt).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(FieldError.of("/updatedAt", "must be an ISO-8601 date-time with offset, e.g. 2026-01-31T12:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the customer has " + errors.size() + " problem(s)", errors);
        }
        Instant now = clock.instant();
        Customer incoming = new Customer(externalId, name, email, phone, company, creditLimit, currency, crmUpdatedAt, now,
                invoiceChannel);
        try {
            return upsert(externalId, name, email, phone, company, currency, invoiceChannel, bindsChannel, incoming, now);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // another instance inserted the same new customer between our look and our insert (two hubs seeding the
            // same customers at start): the row is there now, so this is an update
            return upsert(externalId, name, email, phone, company, currency, invoiceChannel, bindsChannel, incoming, now);
        }
    }

    private Stored upsert(String externalId, String name, String email, String phone, String company, String currency,
                          String invoiceChannel, boolean bindsChannel, Customer incoming, Instant now) {
        return tx.execute(status -> {
            Optional<Customer> current = jdbc.query("select crm_updated_at from customers where external_id = :id for update",
                    // a row whose crm_updated_at is null is still there (the mapper must not return null: findFirst)
                    new MapSqlParameterSource("id", externalId), (rs, n) -> new Customer(externalId, null, null, null, null,
                            null, null, instant(rs.getTimestamp(1)), null, null)).stream().findFirst();
            if (current.isPresent() && current.get().crmUpdatedAt() != null && incoming.crmUpdatedAt() != null
                    && incoming.crmUpdatedAt().isBefore(current.get().crmUpdatedAt())) {
                return new Stored(find(externalId).orElseThrow(), false, true);
            }
            // personal columns encrypted under the customer's data key (named by the e-mail's keyed hash, as the orders'
            // documents are; an erasure destroys it), under the ring key when there is no address; the e-mail address
            // also as its keyed hash, for searches
            String emailHash = cipher.searchHash(email);
            io.orderhub.crypto.DataKey key = customerKeys.forCustomer(emailHash);
            java.util.function.UnaryOperator<String> seal = v -> key == null ? cipher.sealText(v) : cipher.sealText(v, key);
            MapSqlParameterSource p = new MapSqlParameterSource("id", externalId)
                    .addValue("name", seal.apply(name)).addValue("email", seal.apply(email))
                    .addValue("emailHash", emailHash)
                    .addValue("phone", seal.apply(phone)).addValue("company", seal.apply(company))
                    .addValue("creditLimit", incoming.creditLimit()).addValue("currency", currency)
                    .addValue("crmUpdatedAt", incoming.crmUpdatedAt() == null ? null : Timestamp.from(incoming.crmUpdatedAt()))
                    .addValue("now", Timestamp.from(now)).addValue("invoiceChannel", invoiceChannel)
                    .addValue("bindsChannel", bindsChannel);
            if (current.isPresent()) {
                jdbc.update("""
                        update customers set name = :name, email = :email, email_hmac = :emailHash, phone = :phone, company = :company,
                               credit_limit = :creditLimit, currency = :currency,
                               crm_updated_at = coalesce(:crmUpdatedAt, crm_updated_at), updated_at = :now,
                               invoice_channel = case when :bindsChannel then :invoiceChannel else invoice_channel end
                        where external_id = :id
                        """, p);
            } else {
                jdbc.update("""
                        insert into customers (external_id, name, email, email_hmac, phone, company, credit_limit, currency,
                                               crm_updated_at, updated_at, invoice_channel)
                        values (:id, :name, :email, :emailHash, :phone, :company, :creditLimit, :currency, :crmUpdatedAt, :now,
                                :invoiceChannel)
                        """, p);
            }
            return new Stored(find(externalId).orElseThrow(), current.isEmpty(), false);
        });
    }

    private static void requireId(String externalId) {
        if (externalId == null || !externalId.matches(EXTERNAL_ID_PATTERN)) {
            throw OrderHubException.field(Problem.INVALID, "externalId",
                    "must be 1-100 letters, digits or . _ @ : + - (starting with a letter or digit)");
        }
    }

    private static String text(JsonNode body, String field, int max, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            errors.add(FieldError.of("/" + field, "must be a non-empty string of at most " + max + " characters"));
            return null;
        }
        return n.asText();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
