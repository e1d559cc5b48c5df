package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code logback.events} counts the log events written, per level, without a Logback turbo filter asked on every
 * log call and level check; a reset of Logback's configuration keeps the count going.
 */
class LogEventMetricsTest extends HubTestSupport {

    private static final Logger log = LoggerFactory.getLogger(LogEventMetricsTest.class);

    @Autowired
    MeterRegistry meters;

    @Test
    void eventsWrittenAreCountedPerLevelAndLevelChecksAreNot() {
        double warnings = count("warn");
        double errors = count("error");
        double debug = count("debug");

        log.warn("a warning for the count");
        log.warn("another warning for the count");
        log.error("an error for the count");
        log.debug("not written: DEBUG is below the logger's level");
        assertThat(log.isDebugEnabled()).isFalse();

        assertThat(count("warn") - warnings).isEqualTo(2.0);
        assertThat(count("error") - errors).isEqualTo(1.0);
        assertThat(count("debug") - debug).isZero();
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(logback.getTurboFilterList()).as("turbo filters asked on every log call").isEmpty();
    }

    @Test
    void theAppenderIsAttachedAgainWhenLogbacksConfigurationIsReset() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(LogEventMetrics.APPENDER)).isNotNull();
        // what a reset does to the root logger's appenders (a full reset would drop the test's console output too)
        root.detachAppender(LogEventMetrics.APPENDER);
        logback.getCopyOfListenerList().stream().filter(l -> l.getClass().getEnclosingClass() == LogEventMetrics.class)
                .forEach(l -> l.onReset(logback));
        assertThat(root.getAppender(LogEventMetrics.APPENDER)).isNotNull();
        double warnings = count("warn");
        log.warn("counted after the reset");
        assertThat(count("warn") - warnings).isEqualTo(1.0);
    }

    private double count(String level) {
        return meters.get("logback.events").tag("level", level).counter().count();
    }
}
