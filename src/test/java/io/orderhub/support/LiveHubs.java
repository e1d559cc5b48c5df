package io.orderhub.support;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The hubs (Spring contexts) alive in this test JVM: every context started from the test classpath has one of these
 * (component scan of {@code io.orderhub}) until it is closed. On PostgreSQL all of them share the suite's database,
 * so a second live hub takes events, mails and partner calls meant for the suite's hub ({@link HubTestSupport} fails
 * a test that would run beside one).
 */
@Component
public final class LiveHubs implements DisposableBean {

    private static final Set<LiveHubs> LIVE = ConcurrentHashMap.newKeySet();

    private final String databaseUrl;

    public LiveHubs(Environment environment) {
        this.databaseUrl = environment.getProperty("spring.datasource.url", "");
        LIVE.add(this);
    }

    /** How many hubs are alive in this JVM now. */
    public static int alive() {
        return LIVE.size();
    }

    /** How many hubs are alive now on this database (a test class may give its own hub a database of its own). */
    public static int aliveOn(String databaseUrl) {
        return (int) LIVE.stream().filter(h -> Objects.equals(h.databaseUrl, databaseUrl)).count();
    }

    @Override
    public void destroy() {
        LIVE.remove(this);
    }
}
