package io.orderhub.ops;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * TEST HOOK, off by default: a crash injected at a named point, for the fault tests of docs/reliability.md.
 * Where {@code orderhub.faults.halt-after-commit} names a point (comma separated: {@code jms-intake},
 * {@code inventory-reserve}), the process halts with exit code 137 — no shutdown hook, no flush, like
 * {@code kill -9} — when that point is passed for the {@code orderhub.faults.halt-after-count}-th time.
 * The points sit right after a database transaction has committed and before the JMS transaction of the
 * message that caused it commits: the crash the hub must survive without a second order or a second
 * effect. Unset (the default and every shipped configuration) it does nothing but one set lookup; the
 * {@code prod} profile refuses to start with it set.
 */
@Component
public class FaultInjection {

    public static final String JMS_INTAKE = "jms-intake";
    public static final String INVENTORY_RESERVE = "inventory-reserve";

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

    /** Called where a database transaction has just committed and the message's JMS transaction has not. */
    public void afterCommit(String point) {
        if (haltAfterCommit.contains(point) && passed.incrementAndGet() == haltAfterCount) {
            LOG.error("TEST HOOK: halting after the database commit at {}", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
