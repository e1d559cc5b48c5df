package io.orderhub.returns;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.audit.AuditLog;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.returns.ChannelRefunds.RefundLine;
import io.orderhub.returns.ReturnLifecycle.Resolution;
import io.orderhub.returns.ReturnRepository.Line;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.security.Caller;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A shop platform's own returns (Shopify's {@code returns/*} webhooks) in the hub's return lifecycle. The channel's
 * document is mapped by {@code mappings/returns/<format>.jsonata} (routes/channel-webhooks) into
 * {@code {returnRef, orderRefs, status, reason, lines: [{sku, lineRef, quantity, reason}]}}; the webhook's topic says
 * what happened:
 * <ul>
 * <li>{@code request}: a return of the hub, REQUESTED, keyed {@code <format>-return-<returnRef>} (so it is made once),
 * its lines found on the order by SKU (at most what was shipped minus what other returns hold; 422 naming the line);
 * a line item named by its id only is found by its position in the order's Shopify document as received
 * ({@link ShopifyLineItems}).
 * No label is bought: the platform sends its customer the return label itself.</li>
 * <li>{@code approve}: REQUESTED → AUTHORIZED (the return made first when the request was never seen);</li>
 * <li>{@code decline}: → REJECTED with the platform's reason; {@code cancel}: → CANCELLED; {@code close}: → CLOSED;
 * each only where the lifecycle allows it (409 naming the statuses allowed next), and 404 for a return the hub does
 * not have.</li>
 * </ul>
 * A topic whose state the return already has changes nothing. The money comes with the platform's refund
 * ({@code refunds/create} naming the return: {@link ChannelRefunds}), which takes the return to RECEIVED and REFUNDED.
 */
@Component
public class ChannelReturns {

    /** The webhook topics of returns, by the action after {@code returns/}. */
    public static final List<String> ACTIONS = List.of("request", "approve", "decline", "cancel", "close");

    /** What a webhook did: the outcome in words and the return (null when none was touched). */
    public record Outcome(String outcome, String returnId, Map<String, Object> view) {
    }

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AuditLog audit;
    private final ReturnTransitions moves;
    private final ChannelRefunds refunds;
    private final ShopifyLineItems lineItems;

    ChannelReturns(ReturnRepository returns, OrderRepository orderRows, TransactionTemplate tx, Clock clock,
                   AuditLog audit, ReturnTransitions moves, ChannelRefunds refunds, ShopifyLineItems lineItems) {
        this.lineItems = lineItems;
        this.returns = returns;
        this.orderRows = orderRows;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.moves = moves;
        this.refunds = refunds;
    }

    /** The key a channel's return is stored under: one return of the hub per platform return. */
    public static String key(String format, String returnRef) {
        return format.toLowerCase(Locale.ROOT) + "-return-" + returnRef;
    }

    /** Applies the mapped return for the topic's action ({@link #ACTIONS}); see the class. */
    public Outcome apply(String channel, String format, String action, JsonNode mapped, Caller caller) {
        String returnRef = text(mapped.path("returnRef"));
        List<String> refs = new ArrayList<>();
        for (JsonNode r : mapped.path("orderRefs")) {
            String t = text(r);
            if (t != null) {
                refs.add(t);
            }
        }
        List<FieldError> errors = new ArrayList<>();
        if (returnRef == null) {
            errors.add(FieldError.of("/returnRef", "the mapping gave no return id"));
        } else if (returnRef.length() > 150) {
            errors.add(FieldError.of("/returnRef", "is longer than 150 characters"));
        }
        if (refs.isEmpty()) {
            errors.add(FieldError.of("/orderRefs", "the mapping named no order"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the channel's return has " + errors.size() + " problem(s)", errors);
        }
        CanonicalOrder order = refunds.order(channel, refs);
        String key = key(format, returnRef);
        Optional<Row> existing = returns.byKey(order.orderId(), key);
        String reason = text(mapped.path("reason"));
        String by = channel + " (" + format + " return " + returnRef + ")";
        switch (action) {
            case "request" -> {
                if (existing.isPresent()) {
                    return outcome("return known already", existing.get().returnId());
                }
                return outcome("return requested", create(channel, order, key, returnRef, mapped, caller));
            }
            case "approve" -> {
                String id = existing.map(Row::returnId).orElseGet(() -> create(channel, order, key, returnRef, mapped, caller));
                return move(id, order, ReturnStatus.AUTHORIZED, "return.authorized", "approved by " + by,
                        Map.of("approvedBy", channel), caller);
            }
            case "decline", "cancel", "close" -> {
                String id = existing.map(Row::returnId).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND,
                        "returnRef", "channel '" + channel + "' has no return " + returnRef + " of order " + order.orderId()
                                + " at the hub (its returns/request webhook was not taken)"));
                ReturnStatus to = switch (action) {
                    case "decline" -> ReturnStatus.REJECTED;
                    case "cancel" -> ReturnStatus.CANCELLED;
                    default -> ReturnStatus.CLOSED;
                };
                String verb = switch (action) {
                    case "decline" -> "declined";
                    case "cancel" -> "cancelled";
                    default -> "closed";
                };
                String why = reason == null ? verb + " by " + by : reason;
                Map<String, Object> data = new LinkedHashMap<>();
                if (to != ReturnStatus.CLOSED) {
                    data.put("reason", why);
                }
                return move(id, order, to, "return." + to.name().toLowerCase(Locale.ROOT),
                        verb + " by " + by + (reason == null ? "" : ": " + reason), data, caller);
            }
            default -> throw OrderHubException.field(Problem.INVALID, "topic", "returns/" + action
                    + " is not a return topic the hub takes; it takes returns/" + String.join(", returns/", ACTIONS));
        }
    }

    private String create(String channel, CanonicalOrder order, String key, String returnRef, JsonNode mapped,
                          Caller caller) {
        List<RefundLine> wanted = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        JsonNode ls = mapped.path("lines");
        for (int i = 0; i < ls.size(); i++) {
            JsonNode l = ls.get(i);
            String sku = text(l.path("sku"));
            String lineRef = text(l.path("lineRef"));
            if (sku == null && lineRef != null) {
                // Shopify names the line item by id only: its position in the order's document as received
                sku = lineItems.sku(order, lineRef).orElse(null);
            }
            JsonNode q = l.path("quantity");
            if (sku == null) {
                errors.add(FieldError.of("/lines/" + i + "/sku", "the returned line names no item"
                        + (lineRef == null ? "" : " (the platform's line item " + lineRef + " carries no SKU, and it is"
                        + " no line item of the order's document as the hub received it)")));
            }
            if (!q.canConvertToInt() || q.asInt() <= 0 || (q.isNumber() && q.decimalValue().stripTrailingZeros().scale() > 0)) {
                errors.add(FieldError.of("/lines/" + i + "/quantity", "must be a whole number of units above 0"));
                continue;
            }
            if (sku != null) {
                wanted.add(new RefundLine(sku, q.asInt(), false, text(l.path("reason"))));
            }
        }
        if (ls.isEmpty() && errors.isEmpty()) {
            errors.add(FieldError.of("/lines", "the return has no returned items"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the channel's return has " + errors.size() + " problem(s)", errors);
        }
        List<Line> lines = new ArrayList<>();
        refunds.lines(order, wanted, text(mapped.path("reason")), lines, new LinkedHashMap<>());
        return refunds.storeOnce(order, key, "a channel's return is taken for", now -> {
            String id = returns.nextReturnId();
            returns.insert(new Row(id, order.orderId(), channel, ReturnStatus.REQUESTED, Resolution.REFUND, key,
                    caller.keyId(), order.currency(), null, null, now, now), lines, now);
            String detail = "requested at " + channel + " (return " + returnRef + "): " + String.join(", ",
                    lines.stream().map(l -> "line " + l.lineNo() + " " + l.quantity() + " × " + l.sku()
                            + (l.reason() == null ? "" : " (" + l.reason() + ")")).toList())
                    + "; the channel sends the return label";
            returns.addEvent(id, new ReturnRepository.Event(now, "return.requested", null, ReturnStatus.REQUESTED, detail));
            moves.publish(id, order, "return.requested", null, ReturnStatus.REQUESTED, detail,
                    Map.of("channelReturn", Map.of("returnRef", returnRef)));
            audit.record(caller, "return.channel_request", id, null, ReturnStatus.REQUESTED.name(), detail);
            return id;
        }).returnId();
    }

    private Outcome move(String returnId, CanonicalOrder order, ReturnStatus to, String type, String detail,
                         Map<String, ?> data, Caller caller) {
        String outcome = tx.execute(s -> {
            orderRows.lockStatus(order.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            if (from == to || (to == ReturnStatus.AUTHORIZED && from != ReturnStatus.REQUESTED
                    && !ReturnLifecycle.next(from).isEmpty() && from != ReturnStatus.REJECTED)) {
                // approved again, or approved after the hub has moved it on (Shopify sends no order guarantee)
                return "return is " + from + " already";
            }
            moves.transition(returnId, order, from, to, type, detail, data);
            audit.record(caller, type, returnId, from.name(), to.name(), detail);
            return "return " + to;
        });
        return outcome(outcome, returnId);
    }

    private Outcome outcome(String outcome, String returnId) {
        return new Outcome(outcome, returnId, moves.view(returnId));
    }

    private static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        String t = n.asText().strip();
        return t.isEmpty() ? null : t;
    }
}
