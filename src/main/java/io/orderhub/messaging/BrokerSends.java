package io.orderhub.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends to the broker that must not wait on it for ever. A broker whose disk is beyond its limit, or an
 * address full under the BLOCK policy, gives a producer no credit until there is room again: its send just
 * does not return (Artemis CORE clients log AMQ212054 "Destination address=… is blocked"). Work that holds
 * something while it sends (the outbox relay holds its database transaction and the relay lock) runs through a
 * {@link Sender}: the send runs on the sender's own thread, the caller waits at most the timeout, and a send
 * still blocked then is interrupted (its JMS transaction rolls back) and reported as
 * {@link BrokerBlockedException}. Work nobody waits for (rejection notices from a request thread) goes through
 * an {@link Async} sender with a bounded backlog. Senders blocked right now are listed by {@link #blocked()}
 * (health component {@code broker}, gauge {@code orderhub_broker_sends_blocked}).
 */
@Component
public class BrokerSends {

    private static final Logger log = LoggerFactory.getLogger(BrokerSends.class);
    private static final Duration REMIND_EVERY = Duration.ofMinutes(1);
    /** A sender that has not tried for this long (or twice its timeout) since its last failed send is not reported. */
    private static final Duration STALE_AFTER = Duration.ofMinutes(2);

    private final MeterRegistry meters;
    private final Clock clock;
    private final List<Sender> senders = new CopyOnWriteArrayList<>();
    private final List<Async> asyncs = new CopyOnWriteArrayList<>();

    public BrokerSends(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("orderhub.broker.sends.blocked", this, s -> s.blocked().size())
                .description("the hub's senders whose sends the broker does not take (blocked producers)").register(meters);
    }

    /** A sender whose callers wait at most {@code timeout} for each send. */
    public Sender sender(String name, Duration timeout) {
        Sender s = new Sender(name, timeout);
        senders.add(s);
        return s;
    }

    /** A sender that sends in the background, keeping at most {@code capacity} sends waiting. */
    public Async async(String name, int capacity, Duration blockedAfter) {
        Async a = new Async(name, capacity, blockedAfter);
        asyncs.add(a);
        return a;
    }

    /** Senders the broker is not taking sends from right now. */
    public List<Blockage> blocked() {
        Instant now = clock.instant();
        List<Blockage> blocked = new java.util.ArrayList<>();
        for (Sender s : senders) {
            Blockage b = s.blockage(now);
            if (b != null) {
                blocked.add(b);
            }
        }
        for (Async a : asyncs) {
            Blockage b = a.blockage(now);
            if (b != null) {
                blocked.add(b);
            }
        }
        return blocked;
    }

    @PreDestroy
    void stop() {
        senders.forEach(s -> s.executor.shutdownNow());
        asyncs.forEach(a -> a.executor.shutdownNow());
    }

    /** A sender blocked since {@code since}: {@code attempts} sends timed out (or one is still waiting), and why. */
    public record Blockage(String sender, Instant since, long attempts, String detail) {
    }

    /** The broker did not take a send within the sender's timeout; the send was interrupted and rolled back. */
    public static class BrokerBlockedException extends RuntimeException {
        public BrokerBlockedException(String message) {
            super(message);
        }
    }

    private static ThreadPoolExecutor singleThread(String name, int capacity) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(capacity), r -> {
                    Thread t = new Thread(r, "broker-send-" + name.replace(' ', '-'));
                    t.setDaemon(true);
                    return t;
                });
        return executor;
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The broker's "address full" refusal in the cause chain (AMQ219058 / AMQ229102), or null. */
    static String addressFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.activemq.artemis.api.core.ActiveMQAddressFullException) {
                return t.getMessage();
            }
        }
        return null;
    }

    /** Sends one at a time on its own thread; the caller waits at most the timeout. */
    public final class Sender {

        private final String name;
        private final Duration timeout;
        private final ThreadPoolExecutor executor;
        private final Counter timeouts;
        private final AtomicReference<Instant> blockedSince = new AtomicReference<>();
        private final AtomicLong attempts = new AtomicLong();
        private volatile Instant reminded = Instant.EPOCH;
        private volatile String lastReason = "";
        private volatile Instant lastFailure = Instant.EPOCH;

        private Sender(String name, Duration timeout) {
            this.name = name;
            this.timeout = timeout;
            // the callers wait for their send, so only one waits here while another runs
            this.executor = singleThread(name, 16);
            this.timeouts = Counter.builder("orderhub.broker.send.timeouts").tag("sender", name)
                    .description("sends the broker did not take within the sender's timeout (blocked producer)")
                    .register(meters);
        }

        /**
         * Runs {@code send} on the sender's thread and returns its result; throws {@link BrokerBlockedException}
         * when it has not finished within the timeout (it is interrupted, so its JMS transaction rolls back).
         */
        public <T> T call(Callable<T> send) {
            Instant started = clock.instant();
            Future<T> future;
            try {
                future = executor.submit(send);
            } catch (RejectedExecutionException e) {
                if (executor.isShutdown()) {
                    throw new BrokerBlockedException(name + ": the hub is stopping");
                }
                throw blocked("earlier sends are still waiting for the broker", started);
            }
            try {
                T result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                unblocked();
                return result;
            } catch (TimeoutException e) {
                future.cancel(true);
                throw blocked("the broker has not taken the send within " + human(timeout), started);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new BrokerBlockedException(name + ": interrupted while waiting for the broker");
            } catch (ExecutionException e) {
                String full = addressFull(e.getCause());
                if (full != null) {
                    // FAIL policy: the broker refuses for want of room, what BLOCK would make wait for
                    throw blocked("the broker refuses the send: " + full, started);
                }
                // the broker answered otherwise (a duplicate, a failure): not blocked
                unblocked();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        private BrokerBlockedException blocked(String why, Instant started) {
            lastReason = why;
            lastFailure = clock.instant();
            timeouts.increment();
            long n = attempts.incrementAndGet();
            Instant now = clock.instant();
            Instant since = blockedSince.get();
            // blocked since the first send it did not take began
            if (since == null && blockedSince.compareAndSet(null, started)) {
                reminded = now;
                log.warn("{}: {}; it blocks producers while its disk is beyond its limit or the address is full "
                        + "(see the broker component of /actuator/health). Rolled back; tried again.", name, why);
            } else if (Duration.between(reminded, now).compareTo(REMIND_EVERY) >= 0) {
                reminded = now;
                log.warn("{}: the broker still takes no sends, for {} s now ({} attempts)", name,
                        Duration.between(since == null ? now : since, now).toSeconds(), n);
            }
            return new BrokerBlockedException(name + ": " + why);
        }

        private void unblocked() {
            Instant since = blockedSince.getAndSet(null);
            if (since != null) {
                log.warn("{}: the broker takes sends again, after {} s blocked ({} attempts timed out)", name,
                        Duration.between(since, clock.instant()).toSeconds(), attempts.get());
                attempts.set(0);
            }
        }

        /**
         * Blocked since its first send not taken, until a send succeeds; not reported once it has not tried for a while
         * (another instance sent the work, or nothing was left to send), so health does not stay out for ever.
         */
        private Blockage blockage(Instant now) {
            Instant since = blockedSince.get();
            Duration stale = timeout.multipliedBy(2).compareTo(STALE_AFTER) > 0 ? timeout.multipliedBy(2) : STALE_AFTER;
            if (since == null || Duration.between(lastFailure, now).compareTo(stale) > 0) {
                return null;
            }
            return new Blockage(name, since, attempts.get(), lastReason);
        }
    }

    /** Sends in the background, one at a time; at most {@code capacity} wait, more are refused (and logged). */
    public final class Async {

        private final String name;
        private final Duration blockedAfter;
        private final ThreadPoolExecutor executor;
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicLong refused = new AtomicLong();
        private volatile Instant running;

        private Async(String name, int capacity, Duration blockedAfter) {
            this.name = name;
            this.blockedAfter = blockedAfter;
            this.executor = singleThread(name, capacity);
        }

        /** Queues the send; false (and logged by the caller) when the backlog is full. */
        public boolean submit(Runnable send) {
            try {
                waiting.incrementAndGet();
                executor.execute(() -> {
                    running = clock.instant();
                    try {
                        send.run();
                    } finally {
                        running = null;
                        waiting.decrementAndGet();
                    }
                });
                return true;
            } catch (RejectedExecutionException e) {
                waiting.decrementAndGet();
                refused.incrementAndGet();
                return false;
            }
        }

        /** Sends queued or running. */
        public int waiting() {
            return waiting.get();
        }

        private Blockage blockage(Instant now) {
            Instant since = running;
            if (since == null || Duration.between(since, now).compareTo(blockedAfter) < 0) {
                return null;
            }
            return new Blockage(name, since, waiting.get(), "a send has waited for the broker since " + since + "; "
                    + waiting.get() + " waiting, " + refused.get() + " refused (backlog full)");
        }
    }
}
