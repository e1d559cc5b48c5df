package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.inventory.CatalogueRepository;
import io.orderhub.inventory.StockRepository;
import io.orderhub.audit.AuditLog;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.Payment;
import io.orderhub.payment.PaymentCompensation;
import io.orderhub.payment.PaymentRepository;
import io.orderhub.payment.PaymentService;
import io.orderhub.payment.Refunds;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import io.orderhub.shipping.ShippingProperties;
import io.orderhub.messaging.Outbox;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Random sequences of return requests, label purchases, receipts (RESTOCK, DAMAGED, SCRAP), return cancellations
 * and an order cancellation, through the real ReturnService, PaymentService and OrderService on the real SQL (an
 * in-memory H2 in PostgreSQL mode with the hub's migrations; no carrier and no gateway: labels are marked bought
 * by the test, refunds stay PENDING, which the cap counts). After every step:
 * <ul>
 *   <li>refunds ≤ captured: the refunds that did not fail never sum to more than the charge, across the order's
 *   cancellation and all its returns (refunds, store credit, and exchanges: for the same goods, or for another
 *   line's goods whose cheaper value is refunded and dearer value charged; no gateway here, so charges stay
 *   PENDING and do not add to what was captured);</li>
 *   <li>returned ≤ shipped: per order line, the units of returns not cancelled never exceed the shipped quantity,
 *   and a request is refused (422) exactly when it would;</li>
 *   <li>restocked units counted once: on hand is the initial stock plus the RESTOCK units received (and the
 *   ledger's RETURN movements say the same); quarantine holds the DAMAGED units.</li>
 * </ul>
 */
class ReturnInvariantsProperties {

    static final int STOCK = 50;
    static final Caller OPS = new Caller("ops-test", Role.OPS, null);

    private static SingleConnectionDataSource dataSource;
    private static NamedParameterJdbcTemplate jdbc;
    private static ReturnService returns;
    private static OrderRepository orderRows;
    private static OrderService orders;
    private static PaymentRepository payments;
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    enum Kind { REQUEST, AUTHORIZE, RECEIVE, CANCEL_RETURN, CANCEL_ORDER }

    record Op(Kind kind, int line, int quantity, int target, int condition, boolean credit) {
    }

    private static synchronized void init() {
        if (returns != null) {
            return;
        }
        dataSource = new SingleConnectionDataSource("jdbc:h2:mem:returns-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        io.orderhub.crypto.DataCipher cipher = new io.orderhub.crypto.DataCipher(io.orderhub.crypto.KeyRing.load(
                java.nio.file.Path.of("src", "test", "resources", "test-keyring.properties"), "k2"));
        Outbox outbox = new Outbox(jdbc, JSON, clock, cipher, "test", 200, meters);
        orderRows = new OrderRepository(jdbc, JSON, cipher);
        payments = new PaymentRepository(jdbc, clock);
        AuditLog audit = new AuditLog(jdbc, clock);
        orders = new OrderService(orderRows, outbox, tx, clock, List.of(new PaymentCompensation(payments)), audit, meters);
        // only what returns use of the payment service: recording refunds (no gateway here, sending them fails)
        PaymentService paymentService = new PaymentService(payments, orderRows, null, null, List.of(),
                new Refunds(payments, null, null), null);
        ReturnRepository repo = new ReturnRepository(jdbc);
        ReturnTransitions moves = new ReturnTransitions(repo, outbox, clock, tx);
        ReturnProperties settings = new ReturnProperties(Map.of("default", new ReturnProperties.Rules("always",
                new BigDecimal("10"))), null, null);
        ShippingProperties shipping = new ShippingProperties(null, null, null, null, null, null, null, null);
        ReturnLabels labels = new ReturnLabels(repo, moves, orderRows, null, shipping, settings, null, null, tx, clock);
        CatalogueRepository catalogue = new CatalogueRepository(jdbc, clock);
        ReturnExchanges exchanges = new ReturnExchanges(repo, catalogue, paymentService,
                new io.orderhub.payment.ExchangeDifferences(payments, null, orderRows), orders, moves, tx, clock);
        ReturnSettlement settlement = new ReturnSettlement(repo, orderRows, tx, clock, paymentService, settings,
                moves, exchanges);
        ReturnReceipts receipts = new ReturnReceipts(repo, orderRows, tx, clock, paymentService,
                new StockRepository(jdbc, clock), catalogue, null, settings, audit, moves, settlement, exchanges);
        returns = new ReturnService(repo, orderRows, tx, clock, labels, audit, moves, receipts, settlement, exchanges);
    }

    @AfterContainer
    static void close() {
        if (dataSource != null) {
            dataSource.destroy();
        }
    }

    @Property(tries = 150)
    void refundsStayWithinCapturedReturnsWithinShippedAndRestockCountsOnce(@ForAll("sequences") List<Op> ops,
                                                                           @ForAll("quantities") List<Integer> ordered) {
        init();
        String orderId = shippedOrder(ordered);
        CanonicalOrder order = orderRows.find(orderId).orElseThrow();
        BigDecimal captured = order.totals().grandTotal();
        int[] asked = new int[ordered.size()];
        List<String> made = new ArrayList<>();
        List<Integer> madeLine = new ArrayList<>();
        List<Integer> madeQty = new ArrayList<>();
        boolean orderCancelled = false;
        for (Op op : ops) {
            switch (op.kind()) {
                case REQUEST -> {
                    int line = op.line() % ordered.size();
                    boolean allowed = !orderCancelled && op.quantity() <= ordered.get(line) - asked[line];
                    try {
                        // a third of the credit ones are exchanges, half of those for another line's goods (a difference)
                        String resolution = op.credit() ? (op.target() % 3 == 0 ? "EXCHANGE" : "STORE_CREDIT") : "REFUND";
                        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("lines", List.of(Map.of("lineNo",
                                line + 1, "quantity", op.quantity())), "resolution", resolution));
                        if (resolution.equals("EXCHANGE") && op.target() % 2 == 0) {
                            body.put("exchange", List.of(Map.of("sku", order.lines().get((line + 1) % ordered.size()).sku(),
                                    "quantity", op.condition() + 1)));
                            outcome("exchange for other goods");
                        }
                        var r = returns.request(orderId, JSON.valueToTree(body), null, OPS);
                        assertThat(allowed).as("request of %d on line %d (asked %d of %d) accepted", op.quantity(), line + 1,
                                asked[line], ordered.get(line)).isTrue();
                        made.add((String) r.view().get("returnId"));
                        if (op.condition() > 0) {
                            // two in three get their label at once (the carrier is not part of this test)
                            jdbc.update("update returns set status = 'AUTHORIZED' where return_id = :id",
                                    Map.of("id", made.get(made.size() - 1)));
                        }
                        madeLine.add(line);
                        madeQty.add(op.quantity());
                        asked[line] += op.quantity();
                        outcome("request accepted");
                    } catch (OrderHubException e) {
                        outcome("request refused");
                        assertThat(allowed).as(e.getMessage()).isFalse();
                        assertThat(e.problem().status()).isEqualTo(orderCancelled ? 409 : 422);
                    }
                }
                case AUTHORIZE -> {
                    if (!made.isEmpty()) {
                        // the label was bought (the carrier is not part of this test)
                        jdbc.update("update returns set status = 'AUTHORIZED' where return_id = :id and status = 'REQUESTED'",
                                Map.of("id", made.get(op.target() % made.size())));
                    }
                }
                case RECEIVE -> {
                    if (made.isEmpty()) {
                        break;
                    }
                    // mostly one of the latest two returns (earlier ones are often received already)
                    int i = op.target() < 8 ? made.size() - 1 - op.target() % Math.min(2, made.size()) : op.target() % made.size();
                    String status = status(made.get(i));
                    // mostly what the return holds, sometimes one more
                    int quantity = 1 + (op.quantity() - 1) % (madeQty.get(i) + 1);
                    boolean allowed = (status.equals("AUTHORIZED") || status.equals("IN_TRANSIT"))
                            && quantity <= madeQty.get(i);
                    String condition = List.of("RESTOCK", "DAMAGED", "SCRAP").get(op.condition());
                    try {
                        returns.receive(made.get(i), JSON.valueToTree(Map.of("warehouse", "eu-central", "lines",
                                List.of(Map.of("lineNo", madeLine.get(i) + 1, "quantity", quantity, "condition",
                                        condition)))), OPS);
                        assertThat(allowed).as("receipt of %d on %s (%s)", quantity, made.get(i), status).isTrue();
                        outcome("receipt " + condition);
                        BigDecimal difference = jdbc.queryForObject("select exchange_difference from returns where"
                                + " return_id = :id", Map.of("id", made.get(i)), BigDecimal.class);
                        if (difference != null && difference.signum() != 0) {
                            outcome(difference.signum() > 0 ? "exchange difference charged" : "exchange difference refunded");
                        }
                    } catch (OrderHubException e) {
                        outcome("receipt refused");
                        assertThat(allowed).as(e.getMessage()).isFalse();
                    }
                }
                case CANCEL_RETURN -> {
                    if (made.isEmpty()) {
                        break;
                    }
                    int i = op.target() % made.size();
                    String status = status(made.get(i));
                    boolean allowed = status.equals("REQUESTED") || status.equals("AUTHORIZED");
                    try {
                        returns.cancel(made.get(i), "test", OPS);
                        assertThat(allowed).isTrue();
                        asked[madeLine.get(i)] -= madeQty.get(i);
                        outcome("return cancelled");
                    } catch (OrderHubException e) {
                        assertThat(allowed).as(e.getMessage()).isFalse();
                        assertThat(e.problem().status()).isEqualTo(409);
                    }
                }
                case CANCEL_ORDER -> {
                    if (!orderCancelled) {
                        orders.cancel(orderId, "test", OPS);
                        orderCancelled = true;
                    }
                }
                default -> throw new IllegalStateException();
            }
            check(orderId, order, ordered, captured);
        }
    }

    private void check(String orderId, CanonicalOrder order, List<Integer> ordered, BigDecimal captured) {
        List<Payment> rows = payments.byOrder(orderId);
        BigDecimal refunded = rows.stream().filter(p -> Payment.REFUND.equals(p.kind()) && !Payment.FAILED.equals(p.status()))
                .map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(refunded).as("refunded of " + orderId).isLessThanOrEqualTo(captured);
        for (int line = 0; line < ordered.size(); line++) {
            Integer returned = jdbc.queryForObject("""
                    select coalesce(sum(l.quantity), 0) from return_lines l join returns r on r.return_id = l.return_id
                    where r.order_id = :o and l.line_no = :n and r.status not in ('CANCELLED', 'REJECTED')
                    """, Map.of("o", orderId, "n", line + 1), Integer.class);
            assertThat(returned).as("returned of line " + (line + 1)).isLessThanOrEqualTo(ordered.get(line));
            String sku = order.lines().get(line).sku();
            Map<String, Object> received = jdbc.queryForMap("""
                    select coalesce(sum(l.restocked), 0) as restocked, coalesce(sum(l.damaged), 0) as damaged
                    from return_lines l join returns r on r.return_id = l.return_id where r.order_id = :o and l.sku = :sku
                    """, Map.of("o", orderId, "sku", sku));
            int restocked = ((Number) received.get("restocked")).intValue();
            int damaged = ((Number) received.get("damaged")).intValue();
            Map<String, Object> stock = jdbc.queryForMap(
                    "select on_hand, quarantined from stock where sku = :sku and warehouse_id = 'eu-central'", Map.of("sku", sku));
            assertThat(((Number) stock.get("on_hand")).intValue()).as("on hand of " + sku).isEqualTo(STOCK + restocked);
            assertThat(((Number) stock.get("quarantined")).intValue()).as("quarantine of " + sku).isEqualTo(damaged);
            Integer ledger = jdbc.queryForObject("""
                    select coalesce(sum(on_hand_delta), 0) from stock_ledger where sku = :sku and movement = 'RETURN'
                    """, Map.of("sku", sku), Integer.class);
            assertThat(ledger).isEqualTo(restocked);
        }
    }

    /** An order of these line quantities (10.00 and 7.35 each, shipping 4.90) SHIPPED and charged by card. */
    private String shippedOrder(List<Integer> quantities) {
        List<CanonicalOrder.Line> lines = new ArrayList<>();
        BigDecimal subtotal = BigDecimal.ZERO;
        for (int i = 0; i < quantities.size(); i++) {
            String sku = "RP-" + UUID.randomUUID();
            jdbc.update("insert into products (sku, updated_at) values (:sku, current_timestamp)", Map.of("sku", sku));
            StockRepository stock = new StockRepository(jdbc, Clock.systemUTC());
            stock.ensureRow(sku, "eu-central");
            jdbc.update("update stock set on_hand = :n where sku = :sku", Map.of("n", STOCK, "sku", sku));
            BigDecimal price = i % 2 == 0 ? new BigDecimal("10.00") : new BigDecimal("7.35");
            BigDecimal total = price.multiply(BigDecimal.valueOf(quantities.get(i)));
            lines.add(new CanonicalOrder.Line(i + 1, sku, null, BigDecimal.valueOf(quantities.get(i)), "EA", price, total,
                    null, null));
            subtotal = subtotal.add(total);
        }
        BigDecimal shipping = new BigDecimal("4.90");
        BigDecimal grand = subtotal.add(shipping);
        String orderId = orderRows.nextOrderId();
        CanonicalOrder order = new CanonicalOrder(orderId, "webshop", "EXT-" + UUID.randomUUID(), "2026-12-01T10:00:00Z",
                Instant.now(), OrderStatus.SHIPPED, "EUR", new CanonicalOrder.Customer("C-1", "Erika", "erika@example.com",
                null, null, null), null, new CanonicalOrder.Address("Erika", null, "Heide 17", null, "Köln", null, "51147",
                "DE", null, null), lines, new CanonicalOrder.Totals(subtotal, BigDecimal.ZERO, shipping, BigDecimal.ZERO, grand),
                new CanonicalOrder.Payment("card", "pm_card_visa", null, null), null, null,
                new CanonicalOrder.Source("canonical", "rest", "RCP-1", null, null));
        orderRows.insert(order);
        payments.insert(orderId, Payment.CHARGE, "stripe", "card", 1, "orderhub-" + orderId + "-charge-1", grand,
                grand.movePointRight(2).longValueExact(), "EUR", Payment.SUCCEEDED, null, "pi_" + orderId);
        return orderId;
    }

    /** What the sequences did, for jqwik's statistics report (the property must see each outcome often). */
    private static void outcome(String what) {
        net.jqwik.api.statistics.Statistics.label("outcomes").collect(what);
    }

    private static String status(String returnId) {
        return jdbc.queryForObject("select status from returns where return_id = :id", Map.of("id", returnId), String.class);
    }

    @Provide
    Arbitrary<List<Integer>> quantities() {
        return Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.REQUEST)),
                        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.AUTHORIZE)),
                        net.jqwik.api.Tuple.of(7, Arbitraries.just(Kind.RECEIVE)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.CANCEL_RETURN)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CANCEL_ORDER))),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(14);
    }
}
