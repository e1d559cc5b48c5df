package io.orderhub.ingest.camel;

import java.util.regex.Pattern;

import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Camel wiring of the e-mail and JMS intakes. */
@Configuration(proxyBeanMethods = false)
public class TransportCamelConfig {

    /** Headers from outside whose name starts with "Camel" in any letter case never enter a route. */
    public static final Pattern CAMEL_HEADER = Pattern.compile("(?i)(camel|org\\.apache\\.camel).*");

    /** The inbound queue's header filter: Camel's JMS filter plus every casing of the Camel prefix. */
    @Bean
    HeaderFilterStrategy jmsInboundHeaderFilter() {
        JmsHeaderFilterStrategy filter = new JmsHeaderFilterStrategy(true);
        filter.setInFilterPattern(CAMEL_HEADER.pattern());
        return filter;
    }
}
