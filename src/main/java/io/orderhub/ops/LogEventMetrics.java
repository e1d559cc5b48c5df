package io.orderhub.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * {@code logback.events} (Prometheus {@code logback_events_total}, tag {@code level}): the log events written, per
 * level, as Micrometer's Logback binder counts them, but counted by an appender on the root logger, that is only for
 * events that are written. Micrometer's binder is a Logback turbo filter, which Logback asks on every log call and
 * every {@code isDebugEnabled()}/{@code isTraceEnabled()} check of every library, written or not: 2.8 % of the hub's
 * CPU in the lifecycle benchmark (issue 17, docs/benchmarks.md). Its auto-configuration is left out
 * (application.yaml, {@code spring.autoconfigure.exclude}). Every logger of the hub writes through the root logger's
 * appenders (logback-spring.xml), so the counts are the same. The appender is attached again when Logback's
 * configuration is reset.
 */
@Component
public class LogEventMetrics implements DisposableBean {

    static final String APPENDER = "orderhub-log-event-metrics";

    private final LoggerContext logback;
    private final Counting appender;
    private final Listener listener = new Listener();

    public LogEventMetrics(MeterRegistry meters) {
        this.logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.appender = new Counting(meters);
        attach();
        logback.addListener(listener);
    }

    private void attach() {
        Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) == null) {
            appender.setContext(logback);
            appender.start();
            root.addAppender(appender);
        }
    }

    @Override
    public void destroy() {
        logback.removeListener(listener);
        logback.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    /** Counts each event written, by its level. */
    static final class Counting extends AppenderBase<ILoggingEvent> {

        private final Counter error;
        private final Counter warn;
        private final Counter info;
        private final Counter debug;
        private final Counter trace;

        Counting(MeterRegistry meters) {
            setName(APPENDER);
            this.error = counter(meters, "error");
            this.warn = counter(meters, "warn");
            this.info = counter(meters, "info");
            this.debug = counter(meters, "debug");
            this.trace = counter(meters, "trace");
        }

        private static Counter counter(MeterRegistry meters, String level) {
            return Counter.builder("logback.events").tag("level", level)
                    .description("Number of log events written, per level").baseUnit("events").register(meters);
        }

        @Override
        protected void append(ILoggingEvent event) {
            switch (event.getLevel().toInt()) {
                case Level.ERROR_INT -> error.increment();
                case Level.WARN_INT -> warn.increment();
                case Level.INFO_INT -> info.increment();
                case Level.DEBUG_INT -> debug.increment();
                default -> trace.increment();
            }
        }
    }

    /** Logback's configuration reset (a reload of its file) drops the root logger's appenders: attach it again. */
    private final class Listener implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onReset(LoggerContext context) {
            attach();
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}
