package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order report against six orders with a known timeline, stored in an hour of the past no other
 * test uses (a random hour between 1980 and 2020), so every figure can be checked exactly:
 * <pre>
 *   A EUR 10  CREATED T, CONFIRMED T+10, PAID T+70
 *   B EUR 20  CREATED T, CONFIRMED T+20, PAID T+140
 *   C USD 30  CREATED T, CONFIRMED T+30
 *   D USD 40  CREATED T, CONFIRMED T+40, CANCELLED T+50 "customer changed mind"
 *   E EUR 50  CREATED T, CONFIRMED T+100, CANCELLED T+200 "customer changed mind"
 *   F EUR 60  CREATED T, BACKORDERED T+50, CONFIRMED T+300
 * </pre>
 * CREATED→CONFIRMED: 10, 20, 30, 40, 100 s: average 40, p95 = 40 + 0.8 × (100 − 40) = 88 (linear interpolation);
 * CONFIRMED→PAID: 60, 120 s: average 90, p95 = 60 + 0.95 × 60 = 117.
 */
class OrderReportsTest extends HubTestSupport {

    Instant t;
    String channel;
    String prefix;

    @BeforeEach
    void orders() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        t = Instant.parse("1980-01-01T00:00:00Z").plus(r.nextLong(40L * 365 * 24), ChronoUnit.HOURS).plusSeconds(600);
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            letters.append((char) ('a' + r.nextInt(26)));
        }
        channel = "rpt" + letters;
        prefix = "R" + letters.toString().toUpperCase();
        order("A", "EUR", "10", "PAID", "CREATED", 0, "CONFIRMED", 10, "PAID", 70);
        order("B", "EUR", "20", "PAID", "CREATED", 0, "CONFIRMED", 20, "PAID", 140);
        order("C", "USD", "30", "CONFIRMED", "CREATED", 0, "CONFIRMED", 30);
        order("D", "USD", "40", "CANCELLED", "CREATED", 0, "CONFIRMED", 40, "CANCELLED", 50);
        order("E", "EUR", "50", "CANCELLED", "CREATED", 0, "CONFIRMED", 100, "CANCELLED", 200);
        order("F", "EUR", "60", "CONFIRMED", "CREATED", 0, "BACKORDERED", 50, "CONFIRMED", 300);
    }

    /** An order and its timeline: (status, seconds after T) pairs. */
    private void order(String name, String currency, String total, String status, Object... timeline) {
        String id = prefix + name;
        jdbc.update("""
                insert into orders (order_id, channel, external_id, status, currency, grand_total, order_date, received_at,
                                    updated_at, receipt_id, document)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')
                """, id, channel, id, status, currency, new BigDecimal(total), t.toString(), Timestamp.from(t), Timestamp.from(t),
                "rcpt-" + id);
        String from = null;
        for (int i = 0; i < timeline.length; i += 2) {
            String to = (String) timeline[i];
            Instant at = t.plusSeconds((Integer) timeline[i + 1]);
            jdbc.update("insert into order_events (order_id, at, type, from_status, to_status, detail) values (?, ?, ?, ?, ?, ?)",
                    id, Timestamp.from(at), "order." + to.toLowerCase(), from, to,
                    to.equals("CANCELLED") ? "customer changed mind" : null);
            from = to;
        }
    }

    private Response report(String query, String accept) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/reports/orders?" + query))
                    .header("X-API-Key", OPS_KEY);
            if (accept != null) {
                b.header("Accept", accept);
            }
            return send(b.GET().build(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String window() {
        return "from=" + t.minusSeconds(60) + "&to=" + t.plusSeconds(3000);
    }

    @Test
    void countsAmountsRatesAndStageTimes() {
        Response r = report(window() + "&groupBy=channel", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.get("groups")).hasSize(1);
        JsonNode g = body.get("groups").get(0);
        assertThat(g.get("key").asText()).isEqualTo(channel);
        assertThat(g.get("orders").asLong()).isEqualTo(6);
        assertThat(g.at("/amounts/EUR").decimalValue()).isEqualByComparingTo("140.00");
        assertThat(g.at("/amounts/USD").decimalValue()).isEqualByComparingTo("70.00");
        // 5 of the 6 orders the stock decided on were confirmed at once, 1 backordered
        assertThat(g.get("fillRate").asDouble()).isEqualTo(0.8333);
        assertThat(g.get("backorderRate").asDouble()).isEqualTo(0.1667);
        assertThat(g.get("cancelled").asLong()).isEqualTo(2);
        assertThat(body.at("/totals/orders").asLong()).isEqualTo(6);

        assertThat(body.get("cancellationReasons")).hasSize(1);
        assertThat(body.at("/cancellationReasons/0/reason").asText()).isEqualTo("customer changed mind");
        assertThat(body.at("/cancellationReasons/0/count").asLong()).isEqualTo(2);

        JsonNode confirm = body.at("/stages/0");
        assertThat(confirm.get("stage").asText()).isEqualTo("CREATED→CONFIRMED");
        assertThat(confirm.get("count").asLong()).isEqualTo(5);
        assertThat(confirm.get("averageSeconds").asDouble()).isEqualTo(40);
        assertThat(confirm.get("p95Seconds").asDouble()).isEqualTo(88);
        assertThat(confirm.get("maxSeconds").asDouble()).isEqualTo(100);
        assertThat(confirm.get("stuckLongest")).isEmpty();
        JsonNode pay = body.at("/stages/1");
        assertThat(pay.get("stage").asText()).isEqualTo("CONFIRMED→PAID");
        assertThat(pay.get("count").asLong()).isEqualTo(2);
        assertThat(pay.get("averageSeconds").asDouble()).isEqualTo(90);
        assertThat(pay.get("p95Seconds").asDouble()).isEqualTo(117);
        // waiting for payment: C entered CONFIRMED at T+30, F at T+300, so C has waited longest
        assertThat(pay.get("stuckLongest").findValuesAsText("orderId")).containsExactly(prefix + "C", prefix + "F");
        assertThat(body.at("/stages/2/count").asLong()).isZero();
        assertThat(body.at("/stages/2/stuckLongest").findValuesAsText("orderId")).containsExactly(prefix + "A", prefix + "B");
        assertThat(body.at("/stages/2").has("averageSeconds")).isFalse();
        assertThat(body.get("stages")).hasSize(6);
    }

    @Test
    void groupedByStatusAndDay() {
        JsonNode byStatus = report(window() + "&groupBy=status", null).body();
        assertThat(byStatus.get("groups").findValuesAsText("key")).containsExactly("CANCELLED", "CONFIRMED", "PAID");
        assertThat(byStatus.get("groups").findValues("orders")).extracting(JsonNode::asLong).containsExactly(2L, 2L, 2L);
        JsonNode byDay = report(window() + "&groupBy=day", null).body();
        assertThat(byDay.get("groups")).hasSizeBetween(1, 2);
        assertThat(byDay.get("groups").get(0).get("key").asText()).startsWith(t.toString().substring(0, 4));
        assertThat(byDay.at("/totals/orders").asLong()).isEqualTo(6);
    }

    @Test
    void csvWhenAskedFor() {
        Response r = report(window(), "text/csv");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        String csv = new String(r.bytes(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("section,key,metric,currency,value")
                .contains("channel," + channel + ",orders,,6")
                .contains("channel," + channel + ",amount,EUR,140.00")
                .contains("total,total,fillRate,,0.8333")
                .contains("cancellation,customer changed mind,count,,2")
                .contains("stage,CREATED→CONFIRMED,p95Seconds,,88.0")
                .contains("stuck,CONFIRMED," + prefix + "C,,");
    }

    @Test
    void badParametersAre422NamingTheParameter() {
        Response groupBy = report("groupBy=week", null);
        assertThat(groupBy.status()).isEqualTo(422);
        assertThat(groupBy.body().get("errors").findValuesAsText("field")).containsExactly("groupBy");
        Response from = report("from=yesterday&to=2026-01-01", null);
        assertThat(from.status()).isEqualTo(422);
        assertThat(from.body().get("errors").findValuesAsText("field")).containsExactly("from");
        Response order = report("from=2026-02-01&to=2026-01-01", null);
        assertThat(order.status()).isEqualTo(422);
        assertThat(order.body().get("errors").findValuesAsText("message")).anySatisfy(m -> assertThat(m).contains("before to"));
        assertThat(report("from=2026-01-01&to=2026-13-01", null).body().get("errors").findValuesAsText("field"))
                .containsExactly("to");
    }

    @Test
    void ordersCreatedThroughTheApiAreCounted() {
        Instant before = Instant.now().minusSeconds(1);
        int created = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (int i = 0; i < 2; i++) {
            Response r = postJson("/api/orders", WEBSHOP_KEY, order());
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            created++;
            amount = amount.add(r.body().at("/totals/grandTotal").decimalValue());
        }
        Instant after = Instant.now().plusSeconds(1);
        JsonNode body = report("from=" + before + "&to=" + after, null).body();
        JsonNode webshop = null;
        for (JsonNode g : body.get("groups")) {
            if (g.get("key").asText().equals("webshop")) {
                webshop = g;
            }
        }
        assertThat(webshop).as(body.toString()).isNotNull();
        // other tests may add webshop orders in the same seconds: at least ours
        assertThat(webshop.get("orders").asLong()).isGreaterThanOrEqualTo(created);
        assertThat(webshop.at("/amounts/EUR").decimalValue()).isGreaterThanOrEqualTo(amount);
    }
}
