package io.orderhub.ops.camel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tracing ({@code orderhub.tracing.*}); defaults in {@code application.yaml}.
 *
 * @param enabled         Camel route and call spans, exported over OTLP (management.tracing.enabled follows it)
 * @param excludePatterns Camel endpoints not traced (patterns as for intercept, comma-separated)
 */
@ConfigurationProperties("orderhub.tracing")
public record TracingProperties(boolean enabled, String excludePatterns) {
}
