package io.orderhub.routes;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.Mockito;
import org.mockito.invocation.InvocationOnMock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * Base of the route tests: the route files under test in a Camel context of their own, without the hub's database,
 * broker, mail server or web server, so a route change is tested in seconds. All route tests share this one Spring
 * context (same configuration: Spring's context cache), apart from the hub's ({@code HubTestSupport}).
 *
 * <ul>
 *   <li>Routes do not start by themselves ({@code camel.main.auto-startup=false}); a test advises the route it tests
 *       ({@link #advise}: {@code AdviceWith}, typically {@code replaceFromWith} a direct endpoint and
 *       {@code weaveById} on step ids), which then starts.</li>
 *   <li>Every bean a route file names ({@code ref: ...}) is a Mockito mock of the hub's class of that name that
 *       records each call as {@code bean.method} ({@link #calls}) and answers what a test set with {@link #answer}
 *       (a predicate's outcome, a failure), otherwise Mockito's default (false, null). Tests name beans and methods
 *       as the route files do, not the classes.</li>
 *   <li>Broker and mail endpoints ({@code jms:}, {@code imap:}, {@code smtp:}) are {@link MockEndpoint}s whatever
 *       their options, so what a route or its error handling sends there is asserted with {@link #sentTo}.</li>
 * </ul>
 */
@CamelSpringBootTest
@org.apache.camel.test.spring.junit5.UseAdviceWith
@SpringBootTest(classes = RouteTestSupport.RouteTestConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "camel.main.routes-include-pattern=" + RouteTestSupport.ROUTE_FILES,
                "camel.main.auto-startup=false",
                "camel.springboot.main-run-controller=false",
                // error handlers' redeliveries without waiting (their counts are the routes' own)
                "orderhub.db.outage-retry.initial-delay-ms=5", "orderhub.db.outage-retry.max-delay-ms=10",
                "orderhub.notify.retry.initial-delay-ms=5", "orderhub.notify.retry.max-delay-ms=10",
                "orderhub.outbound.callback.retry-delay-ms=5", "orderhub.outbound.callback.max-retry-delay-ms=10",
                // the REST declarations of a route file are set up without an HTTP server (the API tests serve them)
                "camel.rest.component=" + RouteTestSupport.NO_HTTP,
        })
public abstract class RouteTestSupport {

    /** The route files these tests cover (of the API, the order submissions; ERP/CRM sync has tests of its own). */
    static final String ROUTE_FILES = "classpath:routes/jms-intake.camel.yaml,classpath:routes/email-intake.camel.yaml,"
            + "classpath:routes/orders-api.camel.yaml,"
            + "classpath:routes/inventory-stages.camel.yaml,classpath:routes/payment-stages.camel.yaml,"
            + "classpath:routes/notifications.camel.yaml,classpath:routes/outbox-relay.camel.yaml,"
            + "classpath:routes/planning-jobs.camel.yaml,classpath:routes/returns-jobs.camel.yaml,"
            + "classpath:routes/b2b-outbound.camel.yaml,classpath:routes/database-outage.camel.yaml,"
            + "classpath:routes/event-origin.camel.yaml,classpath:routes/shipping.camel.yaml,"
            + "classpath:routes/erp-inbound.camel.yaml,classpath:routes/api-errors.camel.yaml";
    static final String NO_HTTP = "routeTestNoHttp";

    /** Every call a route made on a bean, in order: {@code bean.method}. */
    private static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());
    /** What a bean's method answers ({@code bean.method}), from the call's arguments. */
    private static final Map<String, Function<Object[], Object>> ANSWERS = new ConcurrentHashMap<>();
    /** Routes advised in this (shared) context: each is advised once. */
    private static final Map<CamelContext, Set<String>> ADVISED = new ConcurrentHashMap<>();

    @Autowired
    protected CamelContext context;
    @Autowired
    protected ProducerTemplate producer;

    @BeforeEach
    void clearRecordings() {
        CALLS.clear();
        ANSWERS.clear();
        MockEndpoint.resetMocks(context);
    }

    /** Advises route {@code routeId} the first time a test asks (the context is shared), and starts it. */
    protected void advise(String routeId,
            org.apache.camel.util.function.ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        if (!context.isStarted()) {
            // routes stay stopped (auto-startup false) until a test has advised and started its own
            context.start();
        }
        Set<String> advised = ADVISED.computeIfAbsent(context, c -> ConcurrentHashMap.newKeySet());
        if (advised.add(routeId)) {
            AdviceWith.adviceWith(context, routeId, false, advice);
        }
        if (context.getRouteController().getRouteStatus(routeId) != ServiceStatus.Started) {
            context.getRouteController().startRoute(routeId);
        }
    }

    /** Replaces step {@code stepId} of the advised route by the mock endpoint {@code mock:<stepId>}. */
    protected static void mockStep(AdviceWithRouteBuilder route, String stepId) {
        route.weaveById(stepId).replace().to("mock:" + stepId);
    }

    /** The mock endpoint standing for step {@code stepId} ({@link #mockStep}). */
    protected MockEndpoint step(String stepId) {
        return context.getEndpoint("mock:" + stepId, MockEndpoint.class);
    }

    /** The mock endpoint standing for a broker or mail endpoint, e.g. {@code jms:queue:orders.inbound.dlq}. */
    protected MockEndpoint sentTo(String uri) {
        return (MockEndpoint) context.getEndpoint(context.resolvePropertyPlaceholders(uri));
    }

    /** What {@code bean.method} answers from now on in this test. */
    protected static void answer(String beanMethod, Function<Object[], Object> answer) {
        ANSWERS.put(beanMethod, answer);
    }

    /** The calls the routes made on beans in this test, in order ({@code bean.method}). */
    protected static List<String> calls() {
        synchronized (CALLS) {
            return List.copyOf(CALLS);
        }
    }

    protected Exchange send(String uri, Object body, Map<String, Object> headers) {
        return producer.send(uri, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new HashMap<>(headers));
        });
    }

    static Object recorded(String bean, InvocationOnMock invocation) throws Throwable {
        String call = bean + "." + invocation.getMethod().getName();
        CALLS.add(call);
        Function<Object[], Object> answer = ANSWERS.get(call);
        if (answer != null) {
            return answer.apply(invocation.getArguments());
        }
        return Mockito.RETURNS_DEFAULTS.answer(invocation);
    }

    /** Broker and mail endpoints as mock endpoints that take any of the real endpoint's options. */
    public static class AnyOptionsMockComponent extends MockComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
            parameters.clear();
            // a route reading from it is set up (never started: tests replace its from with a direct endpoint)
            MockEndpoint endpoint = new MockEndpoint(uri, this) {
                @Override
                public org.apache.camel.Consumer createConsumer(org.apache.camel.Processor processor) {
                    return new org.apache.camel.support.DefaultConsumer(this, processor);
                }
            };
            endpoint.setName(remaining);
            return endpoint;
        }
    }

    /** REST declarations set up without a server: their routes are tested from their direct endpoints. */
    public static class NoHttpRestComponent extends org.apache.camel.support.DefaultComponent
            implements org.apache.camel.spi.RestConsumerFactory {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            throw new UnsupportedOperationException("no HTTP server in route tests");
        }

        @Override
        public org.apache.camel.Consumer createConsumer(CamelContext camelContext, org.apache.camel.Processor processor,
                String verb, String basePath, String uriTemplate, String consumes, String produces,
                org.apache.camel.spi.RestConfiguration configuration, Map<String, Object> parameters) {
            return new org.apache.camel.support.DefaultConsumer(camelContext.getEndpoint("mock:rest"), processor);
        }
    }

    // no @Configuration: the hub's component scan (HubTestSupport's context) must not pick this up, and no
    // @TestConfiguration either, which would make Spring Boot add the hub's own application to this context
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class RouteTestConfiguration {

        @Bean
        CamelContextConfiguration mockPartnerEndpoints() {
            return new CamelContextConfiguration() {
                @Override
                public void beforeApplicationStart(CamelContext camelContext) {
                    // a test starts the routes it advised, no other
                    camelContext.setAutoStartup(false);
                    for (String scheme : List.of("jms", "imap", "imaps", "smtp", "smtps")) {
                        camelContext.addComponent(scheme, new AnyOptionsMockComponent());
                    }
                    camelContext.addComponent(NO_HTTP, new NoHttpRestComponent());
                }

                @Override
                public void afterApplicationStart(CamelContext camelContext) {
                }
            };
        }

        /** The transacted relay batch runs without a database here. */
        @Bean
        PlatformTransactionManager transactionManager() {
            return new PlatformTransactionManager() {
                @Override
                public TransactionStatus getTransaction(TransactionDefinition definition) {
                    return new SimpleTransactionStatus();
                }

                @Override
                public void commit(TransactionStatus status) {
                }

                @Override
                public void rollback(TransactionStatus status) {
                }
            };
        }

        /** A recording mock for every bean the route files name, of the hub's class of that name. */
        @Bean
        static BeanFactoryPostProcessor routeBeans() {
            return factory -> {
                Map<String, Class<?>> classes = hubBeanClasses();
                for (String name : referencedBeans()) {
                    Class<?> type = classes.get(name);
                    if (type == null) {
                        throw new IllegalStateException("the route files name bean '" + name
                                + "', which is no @Component, @Service or @Bean of io.orderhub");
                    }
                    if (!factory.containsBean(name)) {
                        factory.registerSingleton(name, Mockito.mock(type,
                                Mockito.withSettings().defaultAnswer(invocation -> recorded(name, invocation))));
                    }
                }
            };
        }

        static Set<String> referencedBeans() {
            Set<String> names = new LinkedHashSet<>();
            // beans named by ref: and the schedulers of scheduler: consumers ("#relayTrigger")
            Pattern ref = Pattern.compile("\\bref:\\s*([A-Za-z][A-Za-z0-9]*)|\\bscheduler:\\s*\"#([A-Za-z][A-Za-z0-9]*)\"");
            for (String file : ROUTE_FILES.split(",")) {
                try {
                    String text = Files.readString(Path.of(file.substring("classpath:".length())));
                    Matcher m = ref.matcher(text);
                    while (m.find()) {
                        names.add(m.group(1) != null ? m.group(1) : m.group(2));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return names;
        }

        /** The hub's beans by name: components and services, and the {@code @Bean} methods of its configurations. */
        static Map<String, Class<?>> hubBeanClasses() {
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
            scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
            AnnotationBeanNameGenerator names = AnnotationBeanNameGenerator.INSTANCE;
            Map<String, Class<?>> classes = new HashMap<>();
            org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry registry =
                    new org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry();
            for (BeanDefinition candidate : scanner.findCandidateComponents("io.orderhub")) {
                Class<?> type;
                try {
                    type = Class.forName(candidate.getBeanClassName());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                classes.put(names.generateBeanName(candidate, registry), type);
                for (Method method : type.getDeclaredMethods()) {
                    Bean bean = method.getAnnotation(Bean.class);
                    if (bean != null) {
                        String[] declared = bean.name().length > 0 ? bean.name() : bean.value();
                        classes.put(declared.length > 0 ? declared[0] : method.getName(), method.getReturnType());
                    }
                }
            }
            return classes;
        }
    }
}
