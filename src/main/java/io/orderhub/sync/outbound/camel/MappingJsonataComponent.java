package io.orderhub.sync.outbound.camel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.format.json.JsonTrees;
import io.orderhub.format.json.JsonataFunctions;
import io.orderhub.mapping.MappingFiles;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonata.JsonataComponent;
import org.apache.camel.component.jsonata.JsonataEndpoint;
import org.apache.camel.support.ResourceHelper;

/**
 * Camel's {@code jsonata:} component as the hub runs it (registered as the bean {@code jsonata}, so a route's
 * {@code to: jsonata:erp/sales-order.jsonata} comes here). A resource without a scheme names a file of the
 * mappings tree ({@link MappingFiles}: the packaged {@code mappings/} or {@code ORDERHUB_MAPPINGS_DIR}, edits going
 * live only after their golden cases pass); it is compiled once per version in force, not per message, gets the
 * hub's exact-decimal functions ({@link JsonataFunctions}) and runtime bounds, takes the body as a Jackson tree
 * (or JSON text) and leaves the result as a Jackson tree, with no JSON text in between. A mapping that cannot be
 * loaded, compiled or run, or that reports a problem, throws {@link MappingFailedException}. A resource with a
 * scheme ({@code classpath:}, {@code file:}, ...) is Camel's stock endpoint.
 */
public class MappingJsonataComponent extends JsonataComponent {

    static final long TIMEOUT_MS = 5_000;
    static final int MAX_DEPTH = 500;

    private final MappingFiles mappings;
    private final ObjectMapper json;

    public MappingJsonataComponent(MappingFiles mappings, ObjectMapper json) {
        this.mappings = mappings;
        this.json = json;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ResourceHelper.hasScheme(remaining)) {
            return super.createEndpoint(uri, remaining, parameters);
        }
        MappingEndpoint endpoint = new MappingEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Runs the mapping file {@code file} over an event or document (a Jackson tree); the result as a Jackson tree. */
    public JsonNode apply(String file, JsonNode input) {
        Jsonata expression;
        try {
            expression = mappings.cached(file, MappingJsonataComponent::compile);
        } catch (JException e) {
            throw new MappingFailedException(file, "mapping " + file + " cannot be compiled at character "
                    + e.getLocation() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MappingFailedException(file, "mapping " + file + " cannot be loaded: " + e.getMessage());
        }
        List<FieldError> errors = new ArrayList<>();
        Object result;
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
            JsonataFunctions.bind(frame, errors);
            result = expression.evaluate(JsonTrees.toJava(input), frame);
        } catch (JException e) {
            throw new MappingFailedException(file, "mapping " + file + " failed on " + subject(input) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MappingFailedException(file, "mapping " + file + " failed on " + subject(input) + ": "
                    + e.getClass().getSimpleName());
        }
        if (!errors.isEmpty()) {
            throw new MappingFailedException(file, "mapping " + file + " reported: "
                    + errors.stream().map(e -> e.field() + ": " + e.message()).toList());
        }
        return result == null ? null : JsonTrees.toJson(result);
    }

    private static String subject(JsonNode input) {
        String eventId = input == null ? "" : input.path("eventId").asText("");
        return eventId.isEmpty() ? "the document" : "event " + eventId;
    }

    private static Jsonata compile(byte[] bytes) {
        return io.orderhub.format.json.JsonataCompiler.compile(new String(bytes, StandardCharsets.UTF_8));
    }

    /** {@code jsonata:<file under mappings/>}. */
    static final class MappingEndpoint extends JsonataEndpoint {

        private final MappingJsonataComponent component;

        MappingEndpoint(String uri, MappingJsonataComponent component, String file) {
            super(uri, component, file, null);
            this.component = component;
        }

        @Override
        protected void onExchange(Exchange exchange) throws Exception {
            Object body = exchange.getMessage().getBody();
            JsonNode input;
            if (body instanceof JsonNode node) {
                input = node;
            } else if (body instanceof String || body instanceof byte[]) {
                String text = body instanceof String s ? s : new String((byte[]) body, StandardCharsets.UTF_8);
                try {
                    input = component.json.readTree(text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new MappingFailedException(getResourceUri(), "mapping " + getResourceUri()
                            + ": the input is not JSON: " + e.getOriginalMessage());
                }
            } else {
                input = component.json.valueToTree(body);
            }
            exchange.getMessage().setBody(component.apply(getResourceUri(), input));
        }
    }
}
