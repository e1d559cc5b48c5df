package io.orderhub.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns {@code ORDERHUB_ROUTES_DIR} into Camel's route loading and reload settings: unset, the
 * packaged {@code routes/} on the classpath are loaded; set, the route files of that directory are
 * loaded and reloaded when they change. Also makes sure the data directory exists before H2 and
 * the broker journal want it, and names Jakarta Mail's stream provider (see below).
 */
public class OrderHubEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String ROUTES_DIR = "orderhub.routes-dir";

    /** Jakarta Mail's stream provider, named so it is not looked up by a class path scan for every mail part. */
    static final String MAIL_STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

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
        if (!props.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("orderhubRoutes", props));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
