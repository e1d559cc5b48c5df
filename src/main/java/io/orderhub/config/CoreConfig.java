package io.orderhub.config;

import java.time.Clock;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderhub.common.AfterCommitHook;
import io.orderhub.common.ApiProperties;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class CoreConfig {

    /**
     * The points after a database commit do nothing in production; the reliability tests' halting hook (test
     * sources only, {@code @Primary}) takes their place where a test switches it on.
     */
    @Bean
    AfterCommitHook afterCommitHook() {
        return AfterCommitHook.NONE;
    }

    @Bean
    Clock clock() {
        return new MicrosecondClock(Clock.systemUTC());
    }

    /**
     * UTC with microsecond precision, what both H2 and PostgreSQL store, so a time reads back as it
     * was written. (Clock.tick with a sub-millisecond tick cannot answer millis().)
     */
    static final class MicrosecondClock extends Clock {

        private final Clock base;

        MicrosecondClock(Clock base) {
            this.base = base;
        }

        @Override
        public java.time.ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return new MicrosecondClock(base.withZone(zone));
        }

        @Override
        public java.time.Instant instant() {
            return base.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }

        @Override
        public long millis() {
            return base.millis();
        }
    }

    /** Exact decimals in and out (never double), ISO instants, and a bound on JSON nesting. */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer orderHubJson(ApiProperties api) {
        int maxDepth = api.maxJsonDepth();
        return builder -> builder
                .featuresToEnable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                        JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .postConfigurer(mapper -> {
                    mapper.getFactory().setStreamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(maxDepth).build());
                    // keep 19.00 as 19.00: amounts keep the scale the sender gave them
                    mapper.setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
                });
    }
}
