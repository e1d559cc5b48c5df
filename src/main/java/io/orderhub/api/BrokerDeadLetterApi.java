package io.orderhub.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.audit.AuditLog;
import io.orderhub.ops.BrokerDeadLetters;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Reads the broker dead-letter endpoints (routes/ops-broker-dead-letters.camel.yaml) into {@link BrokerDeadLetters} calls. */
@Component("brokerDeadLetterApi")
public class BrokerDeadLetterApi {

    private static final int DEPTH_CAP = 10_000;

    private final BrokerDeadLetters dlqs;
    private final AuditLog audit;
    private final Clock clock;

    public BrokerDeadLetterApi(BrokerDeadLetters dlqs, AuditLog audit, Clock clock) {
        this.dlqs = dlqs;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every dead letter queue with its depth. */
    public void queues(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queues", dlqs.depths(DEPTH_CAP));
        exchange.getMessage().setBody(body);
    }

    public void list(Exchange exchange) {
        OpsFilters f = OpsFilters.query(clock);
        int limit = f.limit("limit", ApiExchange.header(exchange, "limit"), 100, 1000);
        f.check();
        exchange.getMessage().setBody(dlqs.list(ApiExchange.header(exchange, "queue"), limit));
    }

    public void replay(Exchange exchange) {
        String queue = ApiExchange.header(exchange, "queue");
        String messageId = ApiExchange.header(exchange, "messageId");
        Map<String, Object> result = dlqs.replay(queue, messageId);
        audit.record(ApiExchange.caller(exchange), "brokerDeadLetter.replay", queue + "/" + messageId, queue,
                String.valueOf(result.get("replayedTo")), "new message " + result.get("newMessageId"));
        exchange.getMessage().setBody(result);
    }

    /** Body {@code {"reason": "..."}} (required). */
    public void discard(Exchange exchange) {
        OpsFilters f = OpsFilters.body(clock);
        JsonNode body = f.object(exchange.getMessage().getBody(byte[].class), Set.of("reason"));
        String reason = f.text(body, "reason", 500);
        JsonNode given = body.path("reason");
        if (reason == null && (given.isMissingNode() || given.isNull() || given.isTextual())) {
            f.problem("reason", "is required: say why this message needs no delivery");
        }
        f.check();
        String queue = ApiExchange.header(exchange, "queue");
        String messageId = ApiExchange.header(exchange, "messageId");
        Map<String, Object> discarded = dlqs.discard(queue, messageId);
        audit.record(ApiExchange.caller(exchange), "brokerDeadLetter.discard", queue + "/" + messageId, queue,
                "DISCARDED", reason);
        Map<String, Object> answer = new LinkedHashMap<>(discarded);
        answer.put("status", "DISCARDED");
        answer.put("resolution", reason);
        exchange.getMessage().setBody(answer);
    }
}
