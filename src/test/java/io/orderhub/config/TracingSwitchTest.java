package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Tracing off ({@code orderhub.tracing.enabled} false, the default) leaves Spring Boot's tracer and its observation
 * handlers out, keeping the operator's own exclusions; tracing on leaves everything in. (HealthAndMetricsTest shows
 * the running hub without a tracer, its HTTP metrics still counted.)
 */
class TracingSwitchTest {

    @Test
    void tracingOffExcludesBootsTracingAndKeepsTheOperatorsExclusions() {
        StandardEnvironment env = environment(Map.of(
                "spring.autoconfigure.exclude[0]", "org.example.FirstAutoConfiguration",
                "spring.autoconfigure.exclude[1]", "org.example.SecondAutoConfiguration"));

        List<String> excluded = excluded(env);

        assertThat(excluded).contains("org.example.FirstAutoConfiguration", "org.example.SecondAutoConfiguration")
                .containsAll(OrderHubEnvironment.TRACING_AUTO_CONFIGURATIONS);
    }

    @Test
    void tracingOnExcludesNothingMore() {
        StandardEnvironment env = environment(Map.of(
                "orderhub.tracing.enabled", "true",
                "spring.autoconfigure.exclude", "org.example.FirstAutoConfiguration"));

        assertThat(excluded(env)).containsExactly("org.example.FirstAutoConfiguration");
    }

    @Test
    void everyExcludedNameIsARealAutoConfiguration() throws Exception {
        // a renamed class would make the exclusion silently do nothing
        for (String name : OrderHubEnvironment.TRACING_AUTO_CONFIGURATIONS) {
            assertThat(Class.forName(name)).isNotNull();
        }
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new OrderHubEnvironment().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    private static List<String> excluded(StandardEnvironment env) {
        return Binder.get(env).bind("spring.autoconfigure.exclude", Bindable.listOf(String.class)).orElse(List.of());
    }
}
