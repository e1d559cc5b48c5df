package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 25, finding 3: payment methods per channel, invoice credit only for customers the CRM binds to the
 * channel, and one customer's concurrent invoices never exceed its limit.
 */
class PaymentTrustTest extends PaymentTestSupport {

    @Autowired
    PaymentService paymentService;
    @Autowired
    OrderRepository orders;

    @Test
    void theWebshopRefusesInvoiceAtIntakeNamingThePaymentMethod() {
        String sku = product(10);
        ObjectNode order = orderFor(sku, 1, Map.of("method", "invoice", "terms", "NET30"));
        Response r = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/payment/method");
        assertThat(r.body().at("/errors/0/message").asText())
                .contains("payment.method 'invoice' is not allowed in channel webshop", "card, prepaid");
        JsonNode receipt = get("/api/receipts/" + r.header("X-Receipt-Id"), OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isZero();

        // a method the channel allows passes the same check
        ObjectNode prepaid = orderFor(sku, 1, Map.of("method", "prepaid", "reference", "PSP-1"));
        assertThat(postJson("/api/orders", WEBSHOP_KEY, prepaid).status()).isEqualTo(201);
    }

    @Test
    void aCustomerNotBoundToTheChannelGetsNoCredit() {
        String sku = product(50);
        // known to the CRM with a limit, but not registered for invoice in any channel
        String unbound = "U-" + letters();
        assertThat(put("/api/customers/marketplace-" + unbound, OPS_KEY, Map.of("name", "Unbound",
                "creditLimit", 1000, "currency", "EUR")).status()).isEqualTo(201);
        ObjectNode order = orderFor(sku, 1, Map.of("method", "invoice", "terms", "NET30"));
        order.withObject("/customer").put("externalId", unbound);
        String orderId = submit(MARKETPLACE_KEY, order);
        awaitStatus(orderId, "CANCELLED");
        assertThat(lastDetail(orderId)).contains("'" + unbound + "' is not registered for invoice in channel marketplace");
        assertThat(payments(orderId)).isEmpty();

        // no customer id at all
        ObjectNode anonymous = orderFor(sku, 1, Map.of("method", "invoice", "terms", "NET30"));
        anonymous.withObject("/customer").remove("externalId");
        String anonymousId = submit(MARKETPLACE_KEY, anonymous);
        awaitStatus(anonymousId, "CANCELLED");
        assertThat(lastDetail(anonymousId)).contains("invoice needs customer.externalId");

        // a binding must name the channel of the customer's key and a channel that allows invoice
        Response wrongKey = put("/api/customers/b2b-" + unbound, OPS_KEY, Map.of("name", "X",
                "creditLimit", 1000, "currency", "EUR", "invoiceChannel", "marketplace"));
        assertThat(wrongKey.status()).isEqualTo(422);
        assertThat(wrongKey.body().at("/errors/0/field").asText()).isEqualTo("/invoiceChannel");
        Response noInvoice = put("/api/customers/webshop-" + unbound, OPS_KEY, Map.of("name", "X",
                "creditLimit", 1000, "currency", "EUR", "invoiceChannel", "webshop"));
        assertThat(noInvoice.status()).isEqualTo(422);
        assertThat(noInvoice.body().at("/errors/0/message").asText()).contains("does not allow payment by invoice");
        // an update from the CRM without invoiceChannel keeps the binding
        String bound = "B-" + letters();
        assertThat(put("/api/customers/b2b-" + bound, OPS_KEY, Map.of("name", "Bound", "creditLimit", 100,
                "currency", "EUR", "invoiceChannel", "b2b")).status()).isEqualTo(201);
        assertThat(put("/api/customers/b2b-" + bound, OPS_KEY, Map.of("name", "Bound, renamed", "creditLimit", 100,
                "currency", "EUR")).status()).isEqualTo(200);
        assertThat(get("/api/customers/b2b-" + bound, OPS_KEY).body().get("invoiceChannel").asText()).isEqualTo("b2b");
    }

    /**
     * Eight invoice orders of 30 EUR of one customer with a limit of 100 are approved at the same moment from
     * eight threads: the customer's row lock lets exactly three through, and the open total stays within the limit.
     * (Channel b2b's orders stay CONFIRMED in the suite, its payment held, so only these calls decide them.)
     */
    @Test
    void concurrentInvoicesOfOneCustomerNeverExceedItsLimit() throws Exception {
        String sku = product(100);
        String customer = "K-" + letters();
        assertThat(put("/api/customers/b2b-" + customer, OPS_KEY, Map.of("name", "Concurrent buyer", "creditLimit", 100,
                "currency", "EUR", "invoiceChannel", "b2b")).status()).isEqualTo(201);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ObjectNode order = orderFor(sku, 3, Map.of("method", "invoice", "terms", "NET30"));
            order.withObject("/customer").put("externalId", customer);
            orderIds.add(submit(B2B_KEY, order));
        }
        orderIds.forEach(id -> awaitStatus(id, "CONFIRMED"));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(orderIds.size());
        List<Future<PaymentService.Result>> results = new ArrayList<>();
        try {
            for (String id : orderIds) {
                CanonicalOrder order = orders.find(id).orElseThrow();
                results.add(pool.submit(() -> {
                    start.await();
                    return paymentService.approveCredit(UUID.randomUUID().toString(), order, order.payment(),
                            order.totals().grandTotal());
                }));
            }
            start.countDown();
            List<PaymentService.Result> outcomes = new ArrayList<>();
            for (Future<PaymentService.Result> f : results) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes.stream().filter(r -> r.outcome() == PaymentService.Outcome.PAID).count())
                    .as(outcomes.toString()).isEqualTo(3);
            assertThat(outcomes).filteredOn(r -> r.outcome() == PaymentService.Outcome.CANCELLED).hasSize(5)
                    .allSatisfy(r -> assertThat(r.detail()).contains("exceeds the CRM credit limit of b2b-" + customer));
        } finally {
            pool.shutdownNow();
        }
        BigDecimal invoiced = jdbc.queryForObject("select coalesce(sum(amount), 0) from payments where kind = 'INVOICE'"
                + " and status = 'SUCCEEDED' and customer_key = ?", BigDecimal.class, "b2b-" + customer);
        assertThat(invoiced).isEqualByComparingTo("90");
        assertThat(jdbc.queryForObject("select count(*) from orders where order_id in (" + String.join(",",
                orderIds.stream().map(id -> "'" + id + "'").toList()) + ") and status = 'CANCELLED'", Integer.class)).isEqualTo(5);
    }

    private String lastDetail(String orderId) {
        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        return events.get(events.size() - 1).get("detail").asText();
    }

    private static String letters() {
        return UUID.randomUUID().toString().replaceAll("[^a-f]", "");
    }
}
