package io.orderhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Documents and personal data are stored encrypted (a distinctive e-mail address, street, phone number and name
 * are found in no table), every reader sees them in clear, orders are found by e-mail through the keyed hash,
 * and a rotation re-encrypts rows written under an older key (or before encryption) while they stay readable.
 */
class EncryptionAtRestTest extends HubTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    io.orderhub.sync.SyncLedger syncLedger;
    @Autowired
    DataCipher cipher;
    @Autowired
    io.orderhub.sandbox.SandboxMailServer mailServer;
    @Autowired
    org.springframework.core.env.Environment env;

    /** A person nobody else in the suite is. */
    record Person(String tag, String name, String email, String street, String phone) {
        static Person fresh() {
            String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            String digits = tag.replaceAll("[^0-9]", "").concat("4711").substring(0, 4);
            return new Person(tag, "Zelda Q" + tag, "zq." + tag + "@crypt-test.example", "Q" + tag + "gasse 12",
                    "+43 1 99" + digits + "7");
        }

        List<String> values() {
            return List.of(name, email, street, phone);
        }
    }

    private ObjectNode orderOf(Person p) {
        ObjectNode order = order();
        order.withObject("/customer").put("name", p.name()).put("email", p.email()).put("phone", p.phone())
                .put("externalId", "C" + p.tag());
        for (String party : List.of("/billTo", "/shipTo")) {
            order.withObject(party).put("name", p.name()).put("line1", p.street());
        }
        return order;
    }

    /** The order for a product in stock, so that it travels on (confirmation mail, payment, ERP and CRM). */
    private ObjectNode orderInStock(Person p) {
        String sku = "T-" + p.tag().toUpperCase();
        Response product = put("/api/products/" + sku, OPS_KEY, Map.of("description", "test item " + sku,
                "unitPrice", 10, "currency", "EUR", "weightKg", 0.5));
        assertThat(product.status()).as(product.toString()).isEqualTo(201);
        Response stock = put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", "eu-central", "onHand", 5));
        assertThat(stock.status()).as(stock.toString()).isEqualTo(200);
        ObjectNode order = orderOf(p);
        com.fasterxml.jackson.databind.node.ArrayNode lines = order.putArray("lines");
        lines.addObject().put("lineNo", 1).put("sku", sku).put("quantity", 2).put("unitPrice", new java.math.BigDecimal("10.00"))
                .put("lineTotal", new java.math.BigDecimal("20.00"));
        order.putObject("totals").put("subtotal", 20).put("discount", 0).put("shipping", 0).put("tax", 0).put("grandTotal", 20);
        return order;
    }

    @Test
    void documentsAndPersonalFieldsAreStoredEncryptedAndEveryReaderSeesThemInClear() {
        Person p = Person.fresh();
        Response created = postJson("/api/orders", WEBSHOP_KEY, orderInStock(p));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String orderId = created.body().get("orderId").asText();
        String receiptId = created.header("X-Receipt-Id");
        assertThat(created.text()).contains(p.email(), p.street(), p.name());

        // the API answers in clear: the order, the receipt's content, the search by e-mail (any case)
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).text()).contains(p.email(), p.street(), p.name(), p.phone());
        assertThat(get("/api/receipts/" + receiptId + "/content", WEBSHOP_KEY).text()).contains(p.email(), p.street());
        JsonNode found = get("/api/orders?customerEmail=" + p.email().toUpperCase(), WEBSHOP_KEY).body();
        assertThat(found.get("totalItems").asInt()).isEqualTo(1);
        assertThat(found.at("/items/0/orderId").asText()).isEqualTo(orderId);
        assertThat(get("/api/orders?customerEmail=nobody." + p.tag() + "@crypt-test.example", WEBSHOP_KEY).body()
                .get("totalItems").asInt()).isZero();

        // the CRM's customer record
        String customerId = "webshop-C" + p.tag();
        Response crm = put("/api/customers/" + customerId, OPS_KEY, Map.of("name", p.name(), "email", p.email(),
                "phone", p.phone(), "company", "Q" + p.tag() + " GmbH"));
        assertThat(crm.status()).as(crm.toString()).isEqualTo(201);
        assertThat(get("/api/customers/" + customerId, OPS_KEY).text()).contains(p.name(), p.email(), p.phone());

        // the confirmation mail went out (its ledger row holds the recipient), and the order moved on (outbox events)
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from notifications where order_id = ?",
                Integer.class, orderId) > 0);

        // stored: the document and the raw document under the customer's data key, which the active ring key wraps,
        // with the e-mail's keyed hash beside the encrypted values
        Map<String, Object> dataKey = jdbc.queryForMap("select key_id, wrapped_key from customer_keys where customer_hmac = ?",
                cipher.searchHash(p.email()));
        String keyId = (String) dataKey.get("key_id");
        assertThat(keyId).startsWith("c.");
        assertThat((String) dataKey.get("wrapped_key")).startsWith("ohe1:k2:");
        assertThat(jdbc.queryForObject("select document from orders where order_id = ?", String.class, orderId))
                .startsWith("ohe1:" + keyId + ":");
        assertThat(DataCipher.keyIdOf(jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class,
                receiptId))).isEqualTo(keyId);
        assertThat(jdbc.queryForObject("select customer_email_hmac from orders where order_id = ?", String.class, orderId))
                .isEqualTo(cipher.searchHash(p.email())).matches("[0-9a-f]{64}");
        Map<String, Object> customer = jdbc.queryForMap("select * from customers where external_id = ?", customerId);
        assertThat(customer.get("email_hmac")).isEqualTo(cipher.searchHash(p.email()));
        // the CRM record and the mail's recipient under the same data key, so an erasure shreds them with the orders
        for (String column : List.of("name", "email", "phone", "company")) {
            assertThat((String) customer.get(column)).startsWith("ohe1:" + keyId + ":");
        }
        assertThat(jdbc.queryForList("select recipient from notifications where order_id = ?", String.class, orderId))
                .isNotEmpty().allSatisfy(recipient -> assertThat(recipient).startsWith("ohe1:" + keyId + ":"));

        // and nowhere in clear: no table, and not the log (e-mail addresses are masked there, streets never logged)
        assertThat(clearIn(database(), p)).as("personal values in clear in the database").isEmpty();
        assertThat(clearIn(logFile(), p)).as("personal values in clear in the log").isEmpty();
    }

    @Test
    void aRotationReencryptsRowsOfAnOlderKeyOrInClearAndTheyStayReadable() {
        Person p = Person.fresh();
        Response created = postJson("/api/orders", WEBSHOP_KEY, orderOf(p));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String orderId = created.body().get("orderId").asText();
        String receiptId = created.header("X-Receipt-Id");
        String customerId = "webshop-C" + p.tag();
        assertThat(put("/api/customers/" + customerId, OPS_KEY, Map.of("name", p.name(), "email", p.email(),
                "phone", p.phone())).status()).isEqualTo(201);
        // a second order of the customer stays under the customer's data key, which k1 wrapped
        Response second = postJson("/api/orders", WEBSHOP_KEY, orderOf(p));
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        String secondId = second.body().get("orderId").asText();
        String secondDocument = jdbc.queryForObject("select document from orders where order_id = ?", String.class, secondId);
        assertThat(secondDocument).startsWith("ohe1:c.");

        // rows as an older key (k1) wrote them, and one value from before encryption
        DataCipher k1 = new DataCipher(KeyRing.load(Path.of("src", "test", "resources", "test-keyring.properties"), "k1"));
        String wrapped = jdbc.queryForObject("select wrapped_key from customer_keys where customer_hmac = ?", String.class,
                cipher.searchHash(p.email()));
        jdbc.update("update customer_keys set wrapped_key = ? where customer_hmac = ?", k1.sealText(cipher.openText(wrapped)),
                cipher.searchHash(p.email()));
        String document = jdbc.queryForObject("select document from orders where order_id = ?", String.class, orderId);
        jdbc.update("update orders set document = ? where order_id = ?", k1.sealText(cipher.openText(document)), orderId);
        byte[] body = jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class, receiptId);
        jdbc.update("update receipts set body = ? where receipt_id = ?", k1.seal(cipher.open(body)), receiptId);
        jdbc.update("update customers set email = ?, phone = ? where external_id = ?", k1.sealText(p.email()), p.phone(),
                customerId);
        assertThat(DataCipher.keyIdOf(jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class,
                receiptId))).isEqualTo("k1");

        // still readable: the ring keeps k1
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).text()).contains(p.email(), p.street());
        assertThat(get("/api/receipts/" + receiptId + "/content", WEBSHOP_KEY).text()).contains(p.email(), p.street());
        assertThat(get("/api/customers/" + customerId, OPS_KEY).text()).contains(p.email(), p.phone());

        assertThat(postJson("/api/ops/crypto/rotate", OPS_KEY, "").status()).isEqualTo(403);
        Response rotated = postJson("/api/ops/crypto/rotate", ADMIN_KEY, "");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        JsonNode r = rotated.body();
        assertThat(r.get("activeKey").asText()).isEqualTo("k2");
        assertThat(r.at("/reencrypted/orders.document").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(r.at("/reencrypted/receipts.body").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(r.at("/reencrypted/customers.email").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(r.at("/reencrypted/customers.phone").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(r.at("/reencrypted/customer_keys.wrapped_key").asLong()).isGreaterThanOrEqualTo(1);
        r.get("remaining").fields().forEachRemaining(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());

        assertThat(jdbc.queryForObject("select document from orders where order_id = ?", String.class, orderId))
                .startsWith("ohe1:k2:");
        assertThat(DataCipher.keyIdOf(jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class,
                receiptId))).isEqualTo("k2");
        assertThat(jdbc.queryForObject("select phone from customers where external_id = ?", String.class, customerId))
                .startsWith("ohe1:k2:");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).text()).contains(p.email(), p.street());
        assertThat(get("/api/receipts/" + receiptId + "/content", WEBSHOP_KEY).text()).contains(p.email(), p.street());
        assertThat(get("/api/customers/" + customerId, OPS_KEY).text()).contains(p.email(), p.phone());
        // the data key re-wrapped under k2; the values under it left as they were, and still readable
        assertThat(jdbc.queryForObject("select wrapped_key from customer_keys where customer_hmac = ?", String.class,
                cipher.searchHash(p.email()))).startsWith("ohe1:k2:");
        assertThat(jdbc.queryForObject("select document from orders where order_id = ?", String.class, secondId))
                .isEqualTo(secondDocument);
        assertThat(get("/api/orders/" + secondId, WEBSHOP_KEY).text()).contains(p.email(), p.street());
        assertThat(jdbc.queryForList("select actor from audit_log where action = 'crypto.rotate'", String.class))
                .contains("test-admin");

        // k1 may now leave the ring (README "Security", backups before an erasure): a ring of k2 alone reads every
        // value of every table, the customers' data keys included. A backup taken before the rotation holds them
        // wrapped under k1, which is then unreadable once k1 is deleted everywhere.
        DataCipher k2Only = ringWithout("k1");
        assertThat(unreadableWith(k2Only)).as("values that still need k1 after the rotation").isEmpty();
        assertThatThrownBy(() -> k2Only.openText(k1.sealText(p.email()))).hasMessageContaining("does not hold");
    }

    /** The suite's key ring without one key, its customer data keys unwrapped from {@code customer_keys} with it. */
    private DataCipher ringWithout(String keyId) {
        try {
            Path file = Files.createTempFile(Path.of("target"), "keyring-", ".properties");
            List<String> lines = Files.readAllLines(Path.of("src", "test", "resources", "test-keyring.properties")).stream()
                    .filter(l -> !l.startsWith("key." + keyId + "=")).toList();
            Files.write(file, lines);
            DataCipher ring = new DataCipher(KeyRing.load(file, null));
            Files.delete(file);
            ring.dataKeys(id -> {
                List<String> wrapped = jdbc.queryForList("select wrapped_key from customer_keys where key_id = ?", String.class, id);
                if (wrapped.isEmpty()) {
                    throw new IllegalStateException("customer data key " + id + " destroyed");
                }
                return new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(ring.openText(wrapped.get(0))), "AES");
            });
            return ring;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The encrypted values of every table (but the sandboxes') that this cipher cannot open, each as table and
     * failure; values whose customer data key an erasure destroyed are shredded on purpose and not counted.
     */
    private List<String> unreadableWith(DataCipher ring) {
        List<String> failures = new ArrayList<>();
        for (String table : jdbc.queryForList("""
                select table_name from information_schema.tables
                where lower(table_schema) = 'public' and table_type in ('BASE TABLE', 'TABLE')
                """, String.class)) {
            if (table.toLowerCase().startsWith("sandbox_")) {
                continue;
            }
            for (Map<String, Object> row : jdbc.queryForList("select * from " + table)) {
                for (Map.Entry<String, Object> column : row.entrySet()) {
                    Object v = column.getValue();
                    try {
                        if (v instanceof byte[] b && DataCipher.sealed(b)) {
                            ring.open(b);
                        } else if (v instanceof String text && DataCipher.keyIdOf(text) != null) {
                            ring.openText(text);
                        }
                    } catch (IllegalStateException e) {
                        if (!String.valueOf(e.getMessage()).contains("destroyed")) {
                            failures.add(table + "." + column.getKey() + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
        return failures;
    }

    @Test
    void anExportListsEverythingAndAnErasureLeavesNoTraceButTheAccounts() throws Exception {
        Person p = Person.fresh();
        // a finished order (cancelled) and one being fulfilled
        Response rejected = postJson("/api/orders", WEBSHOP_KEY, orderOf(p));
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(201);
        String finishedId = rejected.body().get("orderId").asText();
        String receiptId = rejected.header("X-Receipt-Id");
        assertThat(postJson("/api/orders/" + finishedId + "/cancel", WEBSHOP_KEY, Map.of("reason", "test")).status())
                .isEqualTo(200);
        await().atMost(WAIT).until(() -> "CANCELLED".equals(jdbc.queryForObject("select status from orders where order_id = ?",
                String.class, finishedId)));
        Response open = postJson("/api/orders", WEBSHOP_KEY, orderInStock(p));
        assertThat(open.status()).as(open.toString()).isEqualTo(201);
        String openId = open.body().get("orderId").asText();
        String customerId = "webshop-C" + p.tag();
        assertThat(put("/api/customers/" + customerId, OPS_KEY, Map.of("name", p.name(), "email", p.email(),
                "phone", p.phone())).status()).isEqualTo(201);

        // the export: ADMIN only; by e-mail or by the CRM's id
        assertThat(get("/api/customers/" + p.email() + "/personal-data", OPS_KEY).status()).isEqualTo(403);
        Response export = get("/api/customers/" + p.email() + "/personal-data", ADMIN_KEY);
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        JsonNode e = export.body();
        assertThat(e.get("orders").findValuesAsText("orderId")).containsExactlyInAnyOrder(finishedId, openId);
        assertThat(e.at("/orders/0/customer/email").asText()).isEqualTo(p.email());
        assertThat(e.at("/orders/0/shipTo/line1").asText()).isEqualTo(p.street());
        assertThat(e.get("receipts").findValuesAsText("content")).anySatisfy(c -> assertThat(c).contains(p.street()));
        assertThat(e.get("crmRecords").findValuesAsText("phone")).containsExactly(p.phone());
        assertThat(get("/api/customers/" + customerId + "/personal-data", ADMIN_KEY).body().get("orders")
                .findValuesAsText("orderId")).containsExactlyInAnyOrder(finishedId, openId);
        assertThat(get("/api/customers/nobody." + p.tag() + "@crypt-test.example/personal-data", ADMIN_KEY).status())
                .isEqualTo(404);

        // erasure: a reason is required, and an order still being fulfilled refuses it (nothing erased)
        Response noReason = postJson("/api/customers/" + p.email() + "/erasure", ADMIN_KEY, Map.of());
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body().at("/errors/0/field").asText()).isEqualTo("/reason");
        Response refused = postJson("/api/customers/" + p.email() + "/erasure", ADMIN_KEY, Map.of("reason", "request of today"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.text()).contains(openId).contains("still being fulfilled");
        assertThat(get("/api/orders/" + finishedId, WEBSHOP_KEY).text()).contains(p.email());

        Response cancelled = postJson("/api/orders/" + openId + "/cancel", WEBSHOP_KEY, Map.of("reason", "customer"));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "CANCELLED".equals(jdbc.queryForObject("select status from orders where order_id = ?",
                String.class, openId)));
        JsonNode before = get("/api/orders/" + openId, WEBSHOP_KEY).body();
        // what a backup taken now holds: the documents and the raw document under the customer's data key
        String backupDocument = jdbc.queryForObject("select document from orders where order_id = ?", String.class, openId);
        byte[] backupReceipt = jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class, receiptId);
        String dataKey = DataCipher.keyIdOf(backupDocument);
        assertThat(dataKey).startsWith("c.");
        assertThat(DataCipher.keyIdOf(backupReceipt)).isEqualTo(dataKey);
        assertThat(cipher.openText(backupDocument)).contains(p.email());
        String backupCrmEmail = jdbc.queryForObject("select email from customers where external_id = ?", String.class, customerId);
        assertThat(cipher.openText(backupCrmEmail)).isEqualTo(p.email());
        // the hub's copies of the order's events (outbox rows, kept once published) are under the same data key
        List<String> backupEvents = jdbc.queryForList("select payload from outbox where order_id = ? order by id",
                String.class, openId);
        assertThat(backupEvents).isNotEmpty().allSatisfy(ev -> assertThat(DataCipher.keyIdOf(ev)).isEqualTo(dataKey));
        assertThat(cipher.openText(backupEvents.get(0))).contains(p.email());
        // ... and so is a dead letter's copy of one (a sync target that refused the event)
        String deadEventId = UUID.randomUUID().toString();
        assertThat(syncLedger.recordDeadLetter("crypto-test", new io.orderhub.sync.SyncLedger.Event(deadEventId, openId,
                "order.cancelled", "CANCELLED", cipher.openText(backupEvents.get(0))), "refused in a test", 500, 1)).isTrue();
        String backupDeadLetter = jdbc.queryForObject("select payload from sync_dead_letters where event_id = ?",
                String.class, deadEventId);
        assertThat(DataCipher.keyIdOf(backupDeadLetter)).isEqualTo(dataKey);
        assertThat(cipher.openText(backupDeadLetter)).contains(p.email());
        List<Map<String, Object>> linesBefore = jdbc.queryForList(
                "select sku, quantity, unit_price, line_total from order_lines where order_id = ? order by line_no", openId);

        Response erased = postJson("/api/customers/" + p.email() + "/erasure", ADMIN_KEY, Map.of("reason", "request of today"));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        assertThat(erased.body().get("erasedOrders")).hasSize(2);
        assertThat(erased.body().get("crmRecords").asInt()).isEqualTo(1);

        // the accounts stay: amounts, SKUs, dates, status
        JsonNode after = get("/api/orders/" + openId, WEBSHOP_KEY).body();
        assertThat(after.get("totals")).isEqualTo(before.get("totals"));
        assertThat(after.get("lines").findValuesAsText("sku")).isEqualTo(before.get("lines").findValuesAsText("sku"));
        assertThat(after.get("orderDate")).isEqualTo(before.get("orderDate"));
        assertThat(after.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForList("select sku, quantity, unit_price, line_total from order_lines where order_id = ? "
                + "order by line_no", openId)).isEqualTo(linesBefore);
        // the person is gone: from the order, the receipt's content, the CRM record, every table
        assertThat(after.at("/customer/name").asText()).isEqualTo("[erased]");
        assertThat(after.at("/customer/email").asText()).isEqualTo("[erased]");
        assertThat(after.at("/shipTo/line1").asText()).isEqualTo("[erased]");
        assertThat(after.toString()).doesNotContain(p.email()).doesNotContain(p.street()).doesNotContain(p.name());
        assertThat(get("/api/receipts/" + receiptId + "/content", WEBSHOP_KEY).status()).isEqualTo(410);
        assertThat(get("/api/customers/" + customerId, OPS_KEY).body().get("email").asText()).isEqualTo("[erased]");
        assertThat(get("/api/customers/" + p.email() + "/personal-data", ADMIN_KEY).status()).isEqualTo(404);
        Map<String, Object> audit = jdbc.queryForMap(
                "select * from audit_log where action = 'personalData.erase' order by id desc limit 1");
        assertThat(audit.get("detail")).isEqualTo("request of today");
        assertThat(String.valueOf(audit.get("target"))).startsWith("customer:").doesNotContain(p.email());
        assertThat(clearIn(decryptedDatabase(), p)).as("personal values left after the erasure").isEmpty();
        // crypto-shredding: the data key is destroyed, so the copies taken before can no longer be read
        assertThat(jdbc.queryForObject("select count(*) from customer_keys where key_id = ? or customer_hmac = ?",
                Integer.class, dataKey, cipher.searchHash(p.email()))).isZero();
        assertThatThrownBy(() -> cipher.openText(backupDocument)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> cipher.open(backupReceipt)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> cipher.openText(backupCrmEmail)).hasMessageContaining("destroyed");
        assertThat(backupEvents).allSatisfy(ev ->
                assertThatThrownBy(() -> cipher.openText(ev)).hasMessageContaining("destroyed"));
        assertThatThrownBy(() -> cipher.openText(backupDeadLetter)).hasMessageContaining("destroyed");
        assertThat(jdbc.queryForObject("select payload from sync_dead_letters where event_id = ?", String.class,
                deadEventId)).doesNotContain("ohe1:");

        // the CRM's erasure request: the customer.erased event (outbox) becomes one anonymising upsert of its Account
        String eventId = jdbc.queryForObject("select event_id from outbox where type = 'customer.erased' and order_id = ?",
                String.class, openId);
        String account = "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/" + customerId;
        await().atMost(WAIT).until(() -> "DELIVERED".equals(jdbc.queryForList(
                "select outcome from sync_processed_events where target = 'crm' and event_id = ?", String.class, eventId)
                .stream().findFirst().orElse(null)));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> erasures = io.orderhub.sync.SyncTargetsServer.server()
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(account)))
                .stream().filter(r -> r.getBodyAsString().contains("[erased]")).toList();
        assertThat(erasures).hasSize(1);
        JsonNode request = json.readTree(erasures.get(0).getBodyAsString());
        assertThat(request.get("Name").asText()).isEqualTo("[erased]");
        // cleared: Salesforce stores an empty string as null
        assertThat(request.get("Email__c").asText()).isEmpty();
        assertThat(request.get("Phone").asText()).isEmpty();
        assertThat(request.get("BillingStreet").asText()).isEmpty();
        assertThat(erasures.get(0).getHeader("Idempotency-Key")).startsWith(eventId);
    }

    @Test
    void anErasureAlsoErasesTheSenderOfAnEmailedOrder() throws Exception {
        Person p = Person.fresh();
        String sender = "buyer-" + p.tag() + "@webshop.example";
        String messageId = "<" + UUID.randomUUID() + "@crypt-test.example>";
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                new io.orderhub.support.SandboxMailbox(mailServer).session()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new jakarta.mail.internet.InternetAddress(sender));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, "orders@orderhub.local");
        m.setSubject("PO " + p.tag());
        jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                json.writeValueAsBytes(orderOf(p)), "application/json")));
        part.setFileName("order.json");
        part.setDisposition(jakarta.mail.internet.MimeBodyPart.ATTACHMENT);
        jakarta.mail.internet.MimeMultipart multipart = new jakarta.mail.internet.MimeMultipart();
        multipart.addBodyPart(part);
        m.setContent(multipart);
        jakarta.mail.Transport.send(m);

        String orderId = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "select order_id from orders where customer_email_hmac = ?", String.class, cipher.searchHash(p.email()))
                .stream().findFirst().orElse(null), java.util.Objects::nonNull);
        await().atMost(WAIT).until(() -> "DONE".equals(jdbc.queryForList(
                "select status from mail_messages where message_id = ?", String.class, messageId).stream().findFirst().orElse(null)));
        // stored encrypted, read in clear
        String stored = jdbc.queryForObject("select sender from mail_messages where message_id = ?", String.class, messageId);
        assertThat(stored).startsWith("ohe1:");
        assertThat(cipher.openText(stored)).isEqualTo(sender);
        // under the data key of the order's customer, as the order's document and the raw mail document are
        String dataKey = DataCipher.keyIdOf(jdbc.queryForObject("select document from orders where order_id = ?",
                String.class, orderId));
        assertThat(dataKey).startsWith("c.");
        assertThat(DataCipher.keyIdOf(stored)).isEqualTo(dataKey);

        assertThat(postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, Map.of("reason", "test")).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "CANCELLED".equals(jdbc.queryForObject("select status from orders where order_id = ?",
                String.class, orderId)));
        Response erased = postJson("/api/customers/" + p.email() + "/erasure", ADMIN_KEY, Map.of("reason", "request"));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);

        assertThat(cipher.openText(jdbc.queryForObject("select sender from mail_messages where message_id = ?", String.class,
                messageId))).isEqualTo("[erased]");
        assertThat(decryptedDatabase()).doesNotContain(sender);
        // crypto-shredded: the copy a backup took before the erasure can no longer be read
        assertThatThrownBy(() -> cipher.openText(stored)).hasMessageContaining("destroyed");
    }

    /** Every table as {@link #database()}, with each encrypted value decrypted: what the key ring can still read. */
    private String decryptedDatabase() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ohe1:[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/=]+")
                .matcher(database(true));
        StringBuilder clear = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(clear, java.util.regex.Matcher.quoteReplacement(readable(m.group())));
        }
        return m.appendTail(clear).toString();
    }

    /** The clear text of a value, or a mark when its key was destroyed (crypto-shredded: nobody can read it). */
    private String readable(String value) {
        try {
            return cipher.openText(value);
        } catch (IllegalStateException shredded) {
            return "[shredded]";
        }
    }

    private byte[] readable(byte[] value) {
        try {
            return cipher.open(value);
        } catch (IllegalStateException shredded) {
            return "[shredded]".getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Which of the person's values appear in the text, each with its surroundings. */
    static List<String> clearIn(String text, Person p) {
        List<String> found = new ArrayList<>();
        for (String value : p.values()) {
            int i = text.indexOf(value);
            if (i >= 0) {
                found.add(value + " in ..." + text.substring(Math.max(0, i - 300), Math.min(text.length(), i + 100)));
            }
        }
        return found;
    }

    /**
     * Every value of every column of every table, but the sandboxes': they stand in for the ERP, CRM, carrier and
     * payment gateway, which get the customer's data as their job.
     */
    private String database() {
        return database(false);
    }

    private String database(boolean decryptBodies) {
        StringBuilder all = new StringBuilder();
        List<String> tables = jdbc.queryForList("""
                select table_name from information_schema.tables
                where lower(table_schema) = 'public' and table_type in ('BASE TABLE', 'TABLE')
                """, String.class);
        assertThat(tables).contains("receipts", "orders", "customers", "notifications", "outbox", "audit_log");
        for (String table : tables) {
            if (table.toLowerCase().startsWith("sandbox_")) {
                continue;
            }
            for (Map<String, Object> row : jdbc.queryForList("select * from " + table)) {
                all.append(table).append(':');
                for (Object v : row.values()) {
                    all.append(v instanceof byte[] b ? new String(decryptBodies ? readable(b) : b, StandardCharsets.UTF_8)
                            : String.valueOf(v)).append('|');
                }
                all.append('\n');
            }
        }
        return all.toString();
    }

    private String logFile() {
        try {
            return Files.readString(Path.of(env.getRequiredProperty("logging.file.name")), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response put(String path, String key, Object body) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r, r.body(), json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
