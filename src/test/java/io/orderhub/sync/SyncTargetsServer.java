package io.orderhub.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.util.Arrays;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The ERP and CRM of the test suite: one WireMock server (a real HTTP server) on a free port,
 * started before the shared Spring context reads its settings, so application-test.yaml can point
 * the sync targets at {@code http://localhost:${orderhub.test.wiremock.port}/erp} and {@code /crm}.
 * By default every request is answered 200 {}; tests add stubs of higher priority (faults, a proxy
 * to the in-hub sandboxes) and remove them afterwards. Registered in META-INF/spring.factories
 * (test resources); only active with the {@code test} profile.
 */
public class SyncTargetsServer implements EnvironmentPostProcessor {

    public static final int DEFAULT_PRIORITY = 10;
    private static volatile WireMockServer server;

    /** The running server (started with the hub's context). */
    public static WireMockServer server() {
        if (server == null) {
            throw new IllegalStateException("the sync targets' WireMock server runs only with the test profile's context");
        }
        return server;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!Arrays.asList(env.getActiveProfiles()).contains("test")) {
            return;
        }
        WireMockServer running = start();
        env.getPropertySources().addFirst(new MapPropertySource("syncTargetsServer",
                Map.of("orderhub.test.wiremock.port", running.port())));
    }

    private static synchronized WireMockServer start() {
        if (server == null) {
            WireMockServer s = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                    .containerThreads(20).asynchronousResponseEnabled(false));
            s.start();
            s.stubFor(any(anyUrl()).atPriority(DEFAULT_PRIORITY)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "wiremock-stop"));
            server = s;
        }
        return server;
    }
}
