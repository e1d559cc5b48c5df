package io.orderhub.sync.inbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.JobLeases;
import io.orderhub.common.OrderHubException;
import io.orderhub.sync.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fallback pull of stock levels: {@code GET <base-url>/stock-levels} on the ERP's REST API,
 * answered with {@code {levels: [{sku, warehouse, onHand}]}}, applied through {@link ErpStockFeed}.
 * Every instance runs the timer; the lock row {@code erp_inbound_lock} (taken with
 * {@code for update skip locked}, held for the whole pull) and its lease ({@link JobLeases}: holder and
 * {@code last_run}) make one instance pull per interval. Each level is applied on its own: a refused one is reported (log, lock row) and
 * does not hold back the others. A failed pull is logged and noted in the lock row; the next interval tries again.
 */
@Service
public class ErpStockPoller {

    private static final Logger log = LoggerFactory.getLogger(ErpStockPoller.class);

    public enum Status { PULLED, SKIPPED, FAILED }

    /** A pull's result: the levels applied, left alone (already equal) and refused (each with its reason). */
    public record Result(Status status, String detail, List<ErpStockFeed.Level> applied, int unchanged,
                         List<String> confirmedBackorders, List<String> refused) {

        static Result of(Status status, String detail) {
            return new Result(status, detail, List.of(), 0, List.of(), List.of());
        }
    }

    private final ErpStockFeed feed;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Environment environment;
    private final TransactionTemplate tx;
    private final JobLeases leases;
    private final Duration interval;
    private final HttpClient http;
    private final Duration requestTimeout;

    public ErpStockPoller(ErpStockFeed feed, NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock,
                          Environment environment, PlatformTransactionManager transactions, JobLeases leases,
                          @Value("${orderhub.erp-inbound.poll-interval-ms}") long intervalMs,
                          SyncProperties sync) {
        this.feed = feed;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.environment = environment;
        this.tx = new TransactionTemplate(transactions);
        this.leases = leases;
        this.interval = Duration.ofMillis(intervalMs);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(sync.connectTimeoutMs())).build();
        this.requestTimeout = Duration.ofMillis(sync.requestTimeoutMs());
    }

    /**
     * The timer's pull: skipped while another instance pulls or holds the job's lease ({@link JobLeases}), and
     * when this instance pulled less than half an interval ago.
     */
    public Result poll() {
        return pull(false);
    }

    /** A pull now (operations, tests): skipped only while another instance is pulling. */
    public Result pollNow() {
        return pull(true);
    }

    private Result pull(boolean force) {
        String base = environment.getProperty("orderhub.erp-inbound.base-url", "");
        if (base.isBlank()) {
            return Result.of(Status.SKIPPED, "no ERP base URL set (orderhub.erp-inbound.base-url)");
        }
        Result result = tx.execute(status -> {
            // the timer's pull: once per interval across instances (the holder at each of its ticks, but never
            // twice within half an interval); a pull on demand: only not while another instance is pulling
            boolean mine = force ? leases.acquireForced(JobLeases.Job.ERP_STOCK_POLL)
                    : leases.acquire(JobLeases.Job.ERP_STOCK_POLL, interval, interval.dividedBy(2));
            if (!mine) {
                return Result.of(Status.SKIPPED, force ? "another instance is pulling"
                        : "another instance is pulling, or the pull ran within its interval");
            }
            Result r;
            try {
                r = applyEach(fetch());
            } catch (PullException e) {
                r = Result.of(Status.FAILED, e.getMessage());
            }
            jdbc.update("update erp_inbound_lock set last_result = :result where name = 'stock-poll'",
                    new MapSqlParameterSource("result", truncate(r.status() + ": " + r.detail())));
            return r;
        });
        if (result.status() == Status.FAILED || !result.refused().isEmpty()) {
            log.warn("stock pull from the ERP: {}", result.detail());
        } else if (!result.applied().isEmpty()) {
            log.info("stock pull from the ERP: {}", result.detail());
        }
        return result;
    }

    /**
     * Applies each level in a transaction of its own (while this one holds the lock): a level the hub
     * refuses (unknown SKU, below what orders hold) is reported and does not hold back the others.
     */
    private Result applyEach(JsonNode levels) {
        List<ErpStockFeed.Level> applied = new ArrayList<>();
        List<String> confirmed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int unchanged = 0;
        for (int i = 0; i < levels.size(); i++) {
            ObjectNode one = json.createObjectNode();
            one.putArray("levels").add(levels.get(i));
            try {
                ErpStockFeed.Outcome o = feed.applyOnItsOwn(one, "poll");
                applied.addAll(o.applied());
                unchanged += o.unchanged();
                confirmed.addAll(o.confirmedBackorders());
            } catch (OrderHubException e) {
                int at = i;
                refused.add(e.errors().isEmpty() ? "/levels/" + i + ": " + e.getMessage() : e.errors().stream()
                        .map(f -> f.field().replaceFirst("^/levels/0", "/levels/" + at) + ": " + f.message())
                        .collect(java.util.stream.Collectors.joining("; ")));
            }
        }
        String detail = levels.size() + " level(s): " + applied.size() + " applied, " + unchanged + " unchanged, "
                + refused.size() + " refused" + (refused.isEmpty() ? "" : " " + refused)
                + (confirmed.isEmpty() ? "" : "; backorders confirmed " + confirmed);
        return new Result(Status.PULLED, detail, applied, unchanged, confirmed, refused);
    }

    private JsonNode fetch() {
        String base = environment.getRequiredProperty("orderhub.erp-inbound.base-url");
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", "") + "/stock-levels");
        } catch (IllegalArgumentException e) {
            throw new PullException("the ERP base URL '" + base + "' is not a URL: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json").GET();
        String authorization = environment.getProperty("orderhub.erp-inbound.authorization");
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new PullException("GET " + uri + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException("GET " + uri + ": interrupted");
        }
        if (response.statusCode() != 200) {
            throw new PullException("GET " + uri + " answered " + response.statusCode());
        }
        try {
            JsonNode body = json.readTree(response.body());
            if (body == null || !body.isObject() || !body.path("levels").isArray()) {
                throw new PullException("GET " + uri + " did not answer {levels: [...]}");
            }
            return body.get("levels");
        } catch (IOException e) {
            throw new PullException("GET " + uri + " answered no JSON: " + e.getMessage());
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    static final class PullException extends RuntimeException {
        PullException(String message) {
            super(message);
        }
    }
}
