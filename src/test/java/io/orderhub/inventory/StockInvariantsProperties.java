package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Random sequences of stock movements against the real SQL (an in-memory H2 in PostgreSQL mode with
 * the hub's migrations), checked against a model after every step: a movement happens exactly when
 * the rules allow it, stock never goes negative, reserved + allocated never exceed on hand, and the
 * ledger sums to the stock levels. (Concurrency is ReservationConcurrencyTest's job.)
 */
class StockInvariantsProperties {

    private static SingleConnectionDataSource dataSource;
    private static StockRepository stock;
    private static NamedParameterJdbcTemplate jdbc;

    enum Kind { RESERVE, RELEASE, ALLOCATE, DEALLOCATE, PICK, SET_ON_HAND }

    record Op(Kind kind, int warehouse, int quantity, int fromReserved) {
    }

    static final List<String> WAREHOUSES = List.of("eu-central", "us-east");

    private static synchronized void init() {
        if (stock != null) {
            return;
        }
        dataSource = new SingleConnectionDataSource("jdbc:h2:mem:invariants-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        stock = new StockRepository(jdbc, Clock.systemUTC());
    }

    @AfterContainer
    static void close() {
        if (dataSource != null) {
            dataSource.destroy();
        }
    }

    @Property(tries = 300)
    void movementsKeepTheInvariants(@ForAll("sequences") List<Op> ops, @ForAll("safety") int safety) {
        init();
        String sku = "P-" + UUID.randomUUID();
        jdbc.update("insert into products (sku, updated_at) values (:sku, current_timestamp)", Map.of("sku", sku));
        int[][] model = new int[WAREHOUSES.size()][3]; // on hand, reserved, allocated
        for (String w : WAREHOUSES) {
            stock.ensureRow(sku, w);
            stock.setSafetyStock(sku, w, safety);
        }
        for (Op op : ops) {
            String w = WAREHOUSES.get(op.warehouse());
            int[] m = model[op.warehouse()];
            int q = op.quantity();
            boolean allowed;
            boolean done;
            switch (op.kind()) {
                case RESERVE -> {
                    allowed = m[0] - m[1] - m[2] - safety >= q;
                    done = stock.reserve(sku, w, q, "ORD-1");
                    if (allowed) { m[1] += q; }
                }
                case RELEASE -> {
                    allowed = m[1] >= q;
                    done = stock.release(sku, w, q, "ORD-1", "test");
                    if (allowed) { m[1] -= q; }
                }
                case ALLOCATE -> {
                    int r = Math.min(op.fromReserved(), q);
                    allowed = m[1] >= r && m[0] - m[1] - m[2] - safety >= q - r;
                    done = stock.allocate(sku, w, q, r, "ORD-1");
                    if (allowed) { m[1] -= r; m[2] += q; }
                }
                case DEALLOCATE -> {
                    allowed = m[2] >= q;
                    done = stock.deallocate(sku, w, q, "ORD-1", "test");
                    if (allowed) { m[2] -= q; }
                }
                case PICK -> {
                    allowed = m[2] >= q && m[0] >= q;
                    done = stock.pick(sku, w, q, "ORD-1", "SHP-1");
                    if (allowed) { m[0] -= q; m[2] -= q; }
                }
                default -> {
                    allowed = m[1] + m[2] <= q;
                    done = stock.setOnHand(sku, w, q, "count");
                    if (allowed) { m[0] = q; }
                }
            }
            assertThat(done).as(op + " on " + java.util.Arrays.toString(m)).isEqualTo(allowed);
            check(sku, model);
        }
    }

    private static void check(String sku, int[][] model) {
        for (int i = 0; i < WAREHOUSES.size(); i++) {
            String warehouse = WAREHOUSES.get(i);
            StockRow row = stock.rows(sku).stream().filter(r -> r.warehouse().equals(warehouse)).findFirst().orElseThrow();
            assertThat(new int[] {row.onHand(), row.reserved(), row.allocated()}).isEqualTo(model[i]);
            assertThat(row.onHand()).isNotNegative();
            assertThat(row.reserved()).isNotNegative();
            assertThat(row.allocated()).isNotNegative();
            assertThat(row.reserved() + row.allocated()).isLessThanOrEqualTo(row.onHand());
            Map<String, Object> sums = jdbc.queryForMap("""
                    select coalesce(sum(on_hand_delta), 0) as o, coalesce(sum(reserved_delta), 0) as r,
                           coalesce(sum(allocated_delta), 0) as a from stock_ledger where sku = :sku and warehouse_id = :w
                    """, Map.of("sku", sku, "w", WAREHOUSES.get(i)));
            assertThat(((Number) sums.get("o")).intValue()).isEqualTo(row.onHand());
            assertThat(((Number) sums.get("r")).intValue()).isEqualTo(row.reserved());
            assertThat(((Number) sums.get("a")).intValue()).isEqualTo(row.allocated());
        }
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, WAREHOUSES.size() - 1),
                        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 12))
                .as(Op::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Integer> safety() {
        return Arbitraries.integers().between(0, 3);
    }
}
