package io.orderhub.sync.outbound.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.messaging.DeadLetter;
import io.orderhub.messaging.DeadLetterReplayer;
import io.orderhub.sync.PartnerSync;
import io.orderhub.sync.SyncLedger;
import io.orderhub.sync.erp.ErpTarget;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.TargetException;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * Replays the dead letters of partners added with the {@code partnerEvents} route template
 * ({@code routes/partner-events.camel.yaml}) for the operations API: the partner's mapping, endpoint and Authorization
 * come from its templated route's parameters; the event goes through today's mapping file and each call is made once
 * more, as for the ERP's dead letters. Success: REPLAYED and the order's sync state moves on; failure: the letter
 * stays OPEN with the new reason (422 refused again, 503 unavailable).
 */
public class PartnerRouteReplayer implements DeadLetterReplayer {

    private final CamelContext camel;
    private final SyncLedger ledger;
    private final PartnerSync partners;
    private final MappingJsonataComponent mappings;
    private final ObjectMapper json;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public PartnerRouteReplayer(CamelContext camel, SyncLedger ledger, PartnerSync partners, MappingJsonataComponent mappings,
                                ObjectMapper json, Duration connectTimeout, Duration requestTimeout) {
        this.camel = camel;
        this.ledger = ledger;
        this.partners = partners;
        this.mappings = mappings;
        this.json = json;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public boolean replays(String target) {
        return parameters(target).isPresent();
    }

    @Override
    public DeadLetter replay(long id) {
        DeadLetter letter = ledger.deadLetter(id).orElseThrow(() ->
                OrderHubException.field(Problem.NOT_FOUND, "id", "no dead letter " + id));
        Map<String, Object> params = parameters(letter.target()).orElseThrow(() -> OrderHubException.field(Problem.CONFLICT,
                "target", "no partner route '" + letter.target() + "' is configured any more"));
        String target = letter.target();
        String mapping = setting(params, "mapping");
        PartnerSync.Event event = partners.read(target, ledger.deadLetterPayload(id).orElseThrow());
        HttpTarget http = new HttpTarget(target, setting(params, "endpoint"), setting(params, "authorization"),
                connectTimeout, requestTimeout, json);
        List<TargetRequest> requests;
        try {
            JsonNode mapped;
            try {
                mapped = mappings.apply(mapping, event.tree());
            } catch (MappingFailedException e) {
                throw new TargetRejectedException(target, null, e.getMessage());
            }
            requests = partners.restCalls(target, mapping, event, mapped);
            for (TargetRequest request : requests) {
                http.send(request);
            }
        } catch (TargetException e) {
            ledger.recordReplayFailed(id, e.getMessage(), e.httpStatus());
            Problem problem = e instanceof TargetRejectedException ? Problem.INVALID : Problem.UNAVAILABLE;
            throw new OrderHubException(problem, "replay of dead letter " + id + " failed: " + e.getMessage());
        }
        ledger.recordReplayed(id, target, new SyncLedger.Event(event.eventId(), event.orderId(), event.type(), event.status(),
                event.payload()), requests.size());
        return ledger.deadLetter(id).orElseThrow();
    }

    private Optional<Map<String, Object>> parameters(String target) {
        for (RouteDefinition route : ((ModelCamelContext) camel).getRouteDefinitions()) {
            Map<String, Object> params = route.getTemplateParameters();
            if (route.isCreatedFromTemplate() && params != null && params.containsKey("endpoint")
                    && target.equals(String.valueOf(params.get("name")))) {
                return Optional.of(params);
            }
        }
        return Optional.empty();
    }

    private String setting(Map<String, Object> params, String name) {
        Object value = params.get(name);
        return value == null ? "" : camel.resolvePropertyPlaceholders(String.valueOf(value));
    }
}
