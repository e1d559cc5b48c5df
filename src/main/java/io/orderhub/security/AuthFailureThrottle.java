package io.orderhub.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Failed authentications per source address: after {@code max-failures} failures (401 answers) within
 * {@code window}, the source is blocked for {@code block-for}: every request from it is answered 429 with
 * Retry-After, whatever key it sends, so guessing keys costs the guesser hours instead of seconds. Counted in
 * memory per instance; sources in {@code exempt-sources} (e.g. a monitoring host) are never blocked.
 */
@Component
public class AuthFailureThrottle {

    /** Sources remembered at most; beyond it, sources whose window and block are over are forgotten. */
    static final int MAX_SOURCES = 100_000;

    private final Clock clock;
    private final int maxFailures;
    private final long windowMs;
    private final long blockMs;
    private final Set<String> exempt;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    @Autowired
    public AuthFailureThrottle(Clock clock, AuthFailureProperties settings) {
        this(clock, settings.maxFailures(), settings.window(), settings.blockFor(),
                settings.exemptSources() == null ? Set.of() : settings.exemptSources());
    }

    public AuthFailureThrottle(Clock clock, int maxFailures, Duration window, Duration blockFor, Set<String> exempt) {
        this.clock = clock;
        this.maxFailures = Math.max(1, maxFailures);
        this.windowMs = window.toMillis();
        this.blockMs = blockFor.toMillis();
        this.exempt = Set.copyOf(exempt);
    }

    /** Seconds the source stays blocked, or empty when it may call. */
    public OptionalLong blocked(String source) {
        Source s = sources.get(source);
        if (s == null) {
            return OptionalLong.empty();
        }
        synchronized (s) {
            long left = s.blockedUntil - clock.millis();
            return left > 0 ? OptionalLong.of(Math.max(1, (left + 999) / 1000)) : OptionalLong.empty();
        }
    }

    /** Counts a failed authentication; true when this failure blocks the source (once per block). */
    public boolean failure(String source) {
        if (source == null || exempt.contains(source)) {
            return false;
        }
        if (sources.size() >= MAX_SOURCES) {
            forgetIdle();
        }
        Source s = sources.computeIfAbsent(source, k -> new Source());
        synchronized (s) {
            long now = clock.millis();
            if (now - s.windowStart > windowMs) {
                s.windowStart = now;
                s.failures = 0;
            }
            s.failures++;
            if (s.failures >= maxFailures && s.blockedUntil <= now) {
                s.blockedUntil = now + blockMs;
                s.failures = 0;
                s.windowStart = now;
                return true;
            }
            return false;
        }
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return Duration.ofMillis(windowMs);
    }

    public Duration blockFor() {
        return Duration.ofMillis(blockMs);
    }

    private void forgetIdle() {
        long now = clock.millis();
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source s = it.next();
            synchronized (s) {
                if (s.blockedUntil <= now && now - s.windowStart > windowMs) {
                    it.remove();
                }
            }
        }
    }

    private static final class Source {
        long windowStart;
        int failures;
        long blockedUntil;
    }
}
