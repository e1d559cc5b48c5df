package io.orderhub.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
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

    public LiveHubs() {
        LIVE.add(this);
    }

    /** How many hubs are alive in this JVM now. */
    public static int alive() {
        return LIVE.size();
    }

    @Override
    public void destroy() {
        LIVE.remove(this);
    }
}
