package io.orderhub.reliability;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.orderhub.common.AfterCommitHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * TEST HOOK, test sources only (absent from the production jar): a crash injected at a named point, for the fault
 * tests of docs/reliability.md. The hub JVMs of the reliability tests run on the test class path, so the
 * application's component scan finds this class; it registers only where {@code orderhub.faults.halt-after-commit}
 * is set (as {@code ORDERHUB_FAULTS_HALT_AFTER_COMMIT} by {@link CrashAfterCommitTest}) and then takes the place of
 * the production no-op {@link AfterCommitHook#NONE} ({@code @Primary}).
 * Where {@code orderhub.faults.halt-after-commit} names a point (comma separated: {@code jms-intake},
 * {@code inventory-reserve}), the process halts with exit code 137 — no shutdown hook, no flush, like
 * {@code kill -9} — when that point is passed for the {@code orderhub.faults.halt-after-count}-th time.
 * The points sit right after a database transaction has committed and before the JMS transaction of the
 * message that caused it commits: the crash the hub must survive without a second order or a second
 * effect. The {@code prod} profile refuses to start with it.
 */
@Component
@Primary
@ConditionalOnProperty(name = "orderhub.faults.halt-after-commit")
public class FaultInjection implements AfterCommitHook {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    private final Set<String> haltAfterCommit;
    private final int haltAfterCount;
    private final AtomicInteger passed = new AtomicInteger();

    public FaultInjection(@Value("${orderhub.faults.halt-after-commit:}") String haltAfterCommit,
                          @Value("${orderhub.faults.halt-after-count:1}") int haltAfterCount,
                          org.springframework.core.env.Environment environment) {
        this.haltAfterCommit = Arrays.stream(haltAfterCommit.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.haltAfterCount = haltAfterCount;
        if (!this.haltAfterCommit.isEmpty() && Arrays.asList(environment.getActiveProfiles()).contains("prod")) {
            throw new IllegalStateException("orderhub.faults.halt-after-commit is a test hook; the prod profile refuses it");
        }
        if (!this.haltAfterCommit.isEmpty()) {
            LOG.warn("TEST HOOK ACTIVE: the process halts after the database commit at {} (pass {})", this.haltAfterCommit,
                    haltAfterCount);
        }
    }

    @Override
    public void afterCommit(String point) {
        if (haltAfterCommit.contains(point) && passed.incrementAndGet() == haltAfterCount) {
            LOG.error("TEST HOOK: halting after the database commit at {}", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
