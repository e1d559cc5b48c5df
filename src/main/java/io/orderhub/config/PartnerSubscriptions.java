package io.orderhub.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The partners declared in the route files as instances of the {@code partnerEvents} template
 * ({@code routes/partner-events.camel.yaml}): for each {@code templatedRoute} of it, the partner's name, its queue and
 * the event types it takes. The hub gives each its own multicast queue on {@code orders.events}, filtered by the broker
 * on those types ({@link io.orderhub.config.BrokerQueues}), before any route consumes, so a new partner needs only its
 * route file and mapping. Read once at start from the packaged {@code routes/} or {@code ORDERHUB_ROUTES_DIR}; values
 * may be {@code {{property}}} placeholders.
 */
@Component
public class PartnerSubscriptions {

    static final String TEMPLATE = "partnerEvents";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.-]+");

    /** A partner: its name, its queue (bare or {@code address::queue}) and the event types it takes. */
    public record Partner(String name, String queue, List<String> eventTypes) {

        /** The broker's filter for the queue: {@code eventType IN ('order.created', ...)}. */
        public String filter() {
            return "eventType IN (" + String.join(", ", eventTypes.stream().map(t -> "'" + t + "'").toList()) + ")";
        }
    }

    private final List<Partner> partners;

    public PartnerSubscriptions(Environment env) {
        this.partners = List.copyOf(read(env));
    }

    public List<Partner> partners() {
        return partners;
    }

    private static List<Partner> read(Environment env) {
        String dir = env.getProperty("orderhub.routes-dir");
        String pattern = StringUtils.hasText(dir) ? "file:" + java.nio.file.Path.of(dir).toAbsolutePath().normalize() + "/*.camel.yaml"
                : "classpath*:routes/*.camel.yaml";
        List<Partner> out = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        try {
            for (Resource file : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                JsonNode doc;
                try (InputStream in = file.getInputStream()) {
                    doc = yaml.readTree(in);
                }
                if (doc == null || !doc.isArray()) {
                    continue;
                }
                for (JsonNode item : doc) {
                    JsonNode route = item.path("templatedRoute");
                    if (TEMPLATE.equals(route.path("routeTemplateRef").asText())) {
                        out.add(partner(env, file.getFilename(), route));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the route files cannot be read for partner subscriptions: " + e.getMessage(), e);
        }
        return out;
    }

    private static Partner partner(Environment env, String file, JsonNode route) {
        Map<String, String> params = new HashMap<>();
        for (JsonNode p : route.path("parameters")) {
            params.put(p.path("name").asText(), resolve(env, p.path("value").asText("")));
        }
        String name = params.getOrDefault("name", "");
        String queue = params.getOrDefault("queue", "");
        List<String> types = new ArrayList<>();
        for (String t : params.getOrDefault("eventTypes", "").split(",")) {
            if (!t.isBlank()) {
                types.add(t.strip());
            }
        }
        if (name.isBlank() || queue.isBlank() || types.isEmpty()) {
            throw new IllegalStateException(file + ": a partnerEvents route needs the parameters name, queue and eventTypes");
        }
        for (String t : types) {
            if (!EVENT_TYPE.matcher(t).matches()) {
                throw new IllegalStateException(file + ": '" + t + "' is not an event type");
            }
        }
        return new Partner(name, queue, List.copyOf(types));
    }

    private static String resolve(Environment env, String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getRequiredProperty(m.group(1).strip())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
