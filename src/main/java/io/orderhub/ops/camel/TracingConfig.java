package io.orderhub.ops.camel;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.camel.CamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing, on with {@code orderhub.tracing.enabled=true} (ORDERHUB_TRACING_ENABLED; off by default):
 * every route and every outbound call of Camel becomes a span through Micrometer Observation and the
 * OpenTelemetry bridge Spring Boot sets up ({@code management.tracing.*}; export over OTLP to
 * {@code management.otlp.tracing.endpoint}), with the order id on each span once known
 * ({@link OrderSpanTagger}). Trace context travels in message headers (W3C traceparent), so a JMS
 * consumer's spans join the trace of the route that published.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderhub.tracing.enabled", havingValue = "true")
public class TracingConfig {

    @Bean(initMethod = "", destroyMethod = "")
    MicrometerObservationTracer camelObservationTracer(CamelContext camel, OrderSpanTagger tagger,
                                                       ObjectProvider<Tracer> tracer,
                                                       ObjectProvider<ObservationRegistry> observations,
                                                       TracingProperties tracing) {
        String exclude = tracing.excludePatterns() == null ? "" : tracing.excludePatterns();
        MicrometerObservationTracer camelTracer = new MicrometerObservationTracer();
        tracer.ifAvailable(camelTracer::setTracer);
        observations.ifAvailable(camelTracer::setObservationRegistry);
        // JMS property names may not contain dashes: encode the propagation headers
        camelTracer.setEncoding(true);
        if (!exclude.isBlank()) {
            camelTracer.setExcludePatterns(exclude);
        }
        camelTracer.init(camel);
        return camelTracer;
    }

    /** Registered before the tracer, so its notifier sees each call's span before the tracer ends it. */
    @Bean
    OrderSpanTagger orderSpanTagger(CamelContext camel) {
        OrderSpanTagger tagger = new OrderSpanTagger();
        camel.getManagementStrategy().addEventNotifier(tagger);
        camel.getCamelContextExtension().addInterceptStrategy(tagger.afterEachStep());
        return tagger;
    }
}
