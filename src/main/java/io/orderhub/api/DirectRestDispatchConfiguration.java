package io.orderhub.api;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Camel's platform-http engine for {@link DirectRestDispatchFilter}: its consumers run their route in place, on
 * the thread that hands them the request, instead of on a task executor. The filter calls them on the request's
 * own thread; a request that still goes through Spring MVC (see the filter) is answered the same way, its
 * already completed result taken by Spring MVC as before. Without this bean (with
 * {@code orderhub.api.direct-dispatch=false}) the platform-http starter makes its own, on Boot's task executor.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderhub.api.direct-dispatch", havingValue = "true", matchIfMissing = true)
class DirectRestDispatchConfiguration {

    @Bean(name = "platform-http-engine")
    PlatformHttpEngine directPlatformHttpEngine(Environment environment) {
        // the port as the starter reads it (the engine reports it to Camel's REST configuration)
        int port = Integer.parseInt(environment.getProperty("server.port", "8080"));
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }
}
