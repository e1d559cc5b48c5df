package io.orderhub.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operations console: static files in {@code static/console/} of the jar, served at {@code /console/};
 * its chart library comes from a WebJar under {@code /webjars/} (version-free paths through webjars-locator-lite).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfig implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
