package io.orderhub.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.OrderHubException;
import io.orderhub.ingest.OrderIntake;
import io.orderhub.ingest.Receipt;
import io.orderhub.ingest.ReceiptStatus;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.audit.AuditLog;
import io.orderhub.security.Caller;
import io.orderhub.security.MaskedMessageConverter;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Receipts from the operations side (routes/ops-receipts.camel.yaml): list them by status (REJECTED by
 * default), channel and age, each with links to its content and its replay; replay all a filter
 * selects, oldest first, each audited like a single replay.
 */
@Component("receiptOpsApi")
public class ReceiptOpsApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_BULK = 200;
    private static final Set<String> STATUSES = Set.of("RECEIVED", "ACCEPTED", "REJECTED", "DUPLICATE");
    private static final Set<String> BULK_FIELDS = Set.of("channel", "olderThan", "newerThan", "ids", "limit");

    private final ReceiptStore receipts;
    private final OrderIntake intake;
    private final AuditLog audit;
    private final Clock clock;

    public ReceiptOpsApi(ReceiptStore receipts, OrderIntake intake, AuditLog audit, Clock clock) {
        this.receipts = receipts;
        this.intake = intake;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code status} (default REJECTED), {@code channel}, {@code olderThan}, {@code newerThan}, {@code limit}. */
    public void list(Exchange exchange) {
        OpsFilters f = OpsFilters.query(clock);
        String status = f.oneOf("status", ApiExchange.header(exchange, "status"), STATUSES);
        String given = ApiExchange.header(exchange, "status");
        ReceiptStatus wanted = status != null ? ReceiptStatus.valueOf(status)
                : given == null || given.isBlank() ? ReceiptStatus.REJECTED : null;
        String channel = f.text("channel", ApiExchange.header(exchange, "channel"), 64);
        var newer = f.instant("newerThan", ApiExchange.header(exchange, "newerThan"));
        var older = f.instant("olderThan", ApiExchange.header(exchange, "olderThan"));
        int limit = f.limit("limit", ApiExchange.header(exchange, "limit"), DEFAULT_LIMIT, MAX_LIMIT);
        f.check();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Receipt r : receipts.search(wanted, channel, newer, older, null, limit)) {
            items.add(summary(r));
        }
        exchange.getMessage().setBody(items);
    }

    /**
     * Body: {@code {channel, olderThan, newerThan, ids, limit}}, at least one of the first four. Replays
     * the REJECTED receipts it selects through today's mappings; answers counts and each outcome.
     */
    public void replayAll(Exchange exchange) {
        OpsFilters f = OpsFilters.body(clock);
        JsonNode body = f.object(exchange.getMessage().getBody(byte[].class), BULK_FIELDS);
        String channel = f.text(body, "channel", 64);
        var newer = f.instant(body, "newerThan");
        var older = f.instant(body, "olderThan");
        List<String> ids = f.strings(body, "ids", MAX_BULK);
        int limit = f.limit(body, "limit", MAX_BULK, MAX_BULK);
        if (channel == null && newer == null && older == null && (ids == null || ids.isEmpty())) {
            f.problem("", "name at least one of channel, olderThan, newerThan or ids;"
                    + " an empty filter would replay every rejected receipt");
        }
        f.check();
        Caller caller = ApiExchange.caller(exchange);
        List<Receipt> selected = new ArrayList<>(receipts.search(ReceiptStatus.REJECTED, channel, newer, older, ids, limit));
        java.util.Collections.reverse(selected);
        List<Map<String, Object>> outcomes = new ArrayList<>();
        int accepted = 0;
        for (Receipt receipt : selected) {
            String before = receipt.status() + " " + receipt.orderIds();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("receiptId", receipt.receiptId());
            o.put("channel", receipt.channel());
            String error = null;
            try {
                byte[] content = receipts.content(receipt.receiptId()).orElseThrow();
                intake.replay(receipt, content);
            } catch (OrderHubException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + MaskedMessageConverter.mask(String.valueOf(e.getMessage()));
            }
            Receipt after = receipts.find(receipt.receiptId()).orElse(receipt);
            if (after.status() == ReceiptStatus.ACCEPTED) {
                accepted++;
            }
            audit.record(caller, "receipt.replay", receipt.receiptId(), before, after.status() + " " + after.orderIds(),
                    error == null ? "bulk replay" : "bulk replay; " + error);
            o.put("before", receipt.status());
            o.put("after", after.status());
            o.put("orderIds", after.orderIds());
            if (error != null) {
                o.put("error", error);
            }
            outcomes.add(o);
        }
        audit.record(caller, "receipts.replay", "receipts", null, accepted + " accepted of " + selected.size(),
                "filter " + body);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("matched", selected.size());
        result.put("accepted", accepted);
        result.put("stillRejected", selected.size() - accepted);
        result.put("receipts", outcomes);
        exchange.getMessage().setBody(result);
    }

    private static Map<String, Object> summary(Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receiptId", r.receiptId());
        m.put("channel", r.channel());
        m.put("via", r.via());
        m.put("receivedAt", r.receivedAt());
        m.put("status", r.status());
        m.put("format", r.format());
        m.put("orderIds", r.orderIds());
        m.put("errors", r.errors());
        m.put("attempts", r.attempts());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/receipts/" + r.receiptId());
        links.put("content", "/api/receipts/" + r.receiptId() + "/content");
        if (r.status() == ReceiptStatus.REJECTED) {
            links.put("replay", "/api/receipts/" + r.receiptId() + "/replay");
        }
        m.put("links", links);
        return m;
    }
}
