package io.orderhub.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns {@code ORDERHUB_ROUTES_DIR} into Camel's route loading and reload settings: unset, the
 * packaged {@code routes/} on the classpath are loaded; set, the route files of that directory are
 * loaded and reloaded when they change. Also makes sure the data directory exists before H2 and
 * the broker journal want it, names Jakarta Mail's stream provider (see below), and leaves Spring Boot's
 * tracing out while tracing is off (see {@link #TRACING_AUTO_CONFIGURATIONS}).
 */
public class OrderHubEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String ROUTES_DIR = "orderhub.routes-dir";

    /** Jakarta Mail's stream provider, named so it is not looked up by a class path scan for every mail part. */
    static final String MAIL_STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static final String TRACING_ENABLED = "orderhub.tracing.enabled";

    static final String AUTOCONFIGURE_EXCLUDE = "spring.autoconfigure.exclude";

    /**
     * Spring Boot's tracing, left out while {@code orderhub.tracing.enabled} is false. Boot registers the tracer and
     * its observation handlers whether or not {@code management.tracing.enabled} is set, so every HTTP request
     * and every metric sample still made a span, scoped it and handed it to the span processor: some 2 % of the
     * hub's CPU under load (issue 17) for spans nobody exports. Metrics stay (their handler does not need a tracer).
     */
    static final List<String> TRACING_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.NoopTracerAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.prometheus.PrometheusExemplarsAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        // Jakarta Mail 2.1 finds its StreamProvider with a ServiceLoader on every MimeMultipart and every part it
        // writes, which opens each jar of the class path each time (half the notifier's CPU); with the system
        // property set it loads the named class instead. Angus Mail is the implementation the hub ships.
        if (System.getProperty(MAIL_STREAM_PROVIDER) == null) {
            System.setProperty(MAIL_STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
        Map<String, Object> props = new HashMap<>();
        String routesDir = env.getProperty(ROUTES_DIR);
        if (StringUtils.hasText(routesDir)) {
            Path dir = Path.of(routesDir).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("ORDERHUB_ROUTES_DIR=" + routesDir + " is not a directory");
            }
            props.put("camel.main.routes-include-pattern", "file:" + dir + "/*.camel.yaml");
            props.put("camel.main.routes-reload-enabled", "true");
            props.put("camel.main.routes-reload-directory", dir.toString());
            props.put("camel.main.routes-reload-pattern", "*.camel.yaml");
            props.put("camel.main.routes-reload-remove-all-routes", "false");
        }
        String dataDir = env.getProperty("orderhub.data-dir");
        if (StringUtils.hasText(dataDir)) {
            // absolute, so that H2 (which refuses implicitly relative paths) and the journal agree
            Path dir = Path.of(dataDir).toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create ORDERHUB_DATA_DIR " + dataDir + ": " + e.getMessage(), e);
            }
            props.put("orderhub.data-dir", dir.toString());
        }
        if (!env.getProperty(TRACING_ENABLED, Boolean.class, false)) {
            // the operator's own exclusions stay (comma-separated or indexed: bound as Boot binds them)
            Set<String> exclude = new LinkedHashSet<>(Binder.get(env)
                    .bind(AUTOCONFIGURE_EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
            exclude.addAll(TRACING_AUTO_CONFIGURATIONS);
            props.put(AUTOCONFIGURE_EXCLUDE, String.join(",", exclude));
        }
        if (!props.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("orderhubRoutes", props));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
