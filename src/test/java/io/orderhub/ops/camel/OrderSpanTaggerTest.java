package io.orderhub.ops.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order id reaches every span of a traced exchange: Camel routes traced through Micrometer
 * Observation and the OpenTelemetry bridge, as TracingConfig wires them, into an in-memory exporter.
 */
class OrderSpanTaggerTest {

    private static final AttributeKey<String> ORDER = AttributeKey.stringKey(OrderSpanTagger.TAG);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private SdkTracerProvider provider;
    private CamelContext camel;

    @BeforeEach
    void tracedCamel() throws Exception {
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        OtelCurrentTraceContext context = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(provider.get("test"), context, event -> { },
                new OtelBaggageManager(context, List.of(), List.of()));
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));

        camel = new DefaultCamelContext();
        OrderSpanTagger tagger = new OrderSpanTagger();
        camel.getManagementStrategy().addEventNotifier(tagger);
        camel.getCamelContextExtension().addInterceptStrategy(tagger.afterEachStep());
        MicrometerObservationTracer camelTracer = new MicrometerObservationTracer();
        camelTracer.setTracer(tracer);
        camelTracer.setObservationRegistry(observations);
        camelTracer.init(camel);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stage").routeId("stage").to("log:stage?level=DEBUG").to("direct:partner");
                from("direct:create").routeId("create")
                        .setHeader("Location", constant("/api/orders/ORD-000000077"))
                        .to("direct:partner");
                from("direct:partner").routeId("partner").to("log:partner?level=DEBUG");
                from("direct:unrelated").routeId("unrelated").to("log:unrelated?level=DEBUG");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        provider.close();
    }

    @Test
    void anEventsOrderIdIsOnEverySpanOfItsExchange() {
        ProducerTemplate template = camel.createProducerTemplate();
        template.sendBodyAndHeaders("direct:stage", "{}", Map.of("JMSXGroupID", "ORD-000000042"));

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSizeGreaterThanOrEqualTo(4);
        assertThat(finished).allSatisfy(s -> assertThat(s.getAttributes().get(ORDER)).as(s.getName())
                .isEqualTo("ORD-000000042"));
        assertThat(finished.stream().map(SpanData::getTraceId).distinct()).hasSize(1);
    }

    @Test
    void anOrderIdFoundMidwayTagsTheRouteAndTheCallsAfterIt() {
        camel.createProducerTemplate().sendBody("direct:create", "{}");

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).isNotEmpty();
        assertThat(finished).allSatisfy(s -> assertThat(s.getAttributes().get(ORDER)).as(s.getName())
                .isEqualTo("ORD-000000077"));
    }

    @Test
    void exchangesWithoutAnOrderCarryNoTag() {
        camel.createProducerTemplate().sendBody("direct:unrelated", "{}");
        assertThat(spans.getFinishedSpanItems()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.getAttributes().get(ORDER)).isNull());
    }
}
