package io.orderhub.sync.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.util.StringUtils;

/**
 * A target system's REST/JSON endpoint: base URL, Authorization header value, timeouts. Sends one
 * {@link TargetRequest} and turns the answer into success or the right {@link TargetException}.
 * The request carries {@code Idempotency-Key}, so a retry after a lost answer is harmless at
 * targets that honour it; upserts by external id are harmless anyway.
 */
public class HttpTarget {

    /** Statuses that mean "not now": retried without limit. */
    static final Set<Integer> UNAVAILABLE = Set.of(408, 425, 429, 502, 503, 504);
    private static final int REASON_MAX = 1000;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpTarget.class);

    private final String name;
    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final ObjectMapper json;
    private final io.orderhub.common.CallRecord calls = new io.orderhub.common.CallRecord();

    public HttpTarget(String name, String baseUrl, String authorization, Duration connectTimeout,
                      Duration requestTimeout, ObjectMapper json) {
        this.name = name;
        String url = baseUrl == null ? "" : baseUrl.trim();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (this.baseUrl.isEmpty()) {
            log.warn("sync target {} has no base URL configured: its events wait on their queue until one is set", name);
        }
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.json = json;
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The last call and the failures in a row (health). */
    public io.orderhub.common.CallRecord calls() {
        return calls;
    }

    /** Sends the request; returns the HTTP status of a 2xx answer, throws otherwise. */
    public int send(TargetRequest request) {
        if (baseUrl.isEmpty()) {
            throw new TargetUnavailableException(name, null, "sync target " + name + " has no base URL configured", null);
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(baseUrl + request.path())).timeout(requestTimeout);
        } catch (IllegalArgumentException e) {
            throw new TargetRejectedException(name, null, "the mapping produced an invalid path '" + request.path() + "'");
        }
        b.header("Accept", "application/json");
        if (StringUtils.hasText(authorization)) {
            b.header("Authorization", authorization);
        }
        if (request.idempotencyKey() != null) {
            b.header("Idempotency-Key", request.idempotencyKey());
        }
        if (request.body() != null) {
            b.header("Content-Type", "application/json");
            b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(bytes(request)));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            calls.failed("timeout after " + requestTimeout.toMillis() + " ms");
            throw new TargetUnavailableException(name, null, name + " did not answer " + describe(request)
                    + " within " + requestTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            calls.failed("cannot be reached: " + e.getClass().getSimpleName());
            throw new TargetUnavailableException(name, null, name + " cannot be reached for " + describe(request)
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailableException(name, null, "interrupted while calling " + name, e);
        }
        answered(name, calls, describe(request), response.statusCode(), response.body());
        return response.statusCode();
    }

    /**
     * What the target's answer means, the same for this client and the partner routes' {@code to: http} call:
     * 2xx returns; 408/425/429/502/503/504 throw {@link TargetUnavailableException} (wait and retry), other 5xx
     * {@link TargetFailedException} (a few retries, then a dead letter), other statuses
     * {@link TargetRejectedException} (a dead letter at once). The reason quotes the answer's body.
     */
    public static void answered(String name, io.orderhub.common.CallRecord calls, String request, int status, String body) {
        if (status >= 200 && status < 300) {
            calls.reached("answered " + status);
            return;
        }
        if (status >= 500 || UNAVAILABLE.contains(status)) {
            calls.failed("answered " + status);
        } else {
            calls.reached("answered " + status);
        }
        String reason = name + " answered " + status + " to " + request + ": " + abbreviate(body);
        if (UNAVAILABLE.contains(status)) {
            throw new TargetUnavailableException(name, status, reason, null);
        }
        if (status >= 500) {
            throw new TargetFailedException(name, status, reason);
        }
        throw new TargetRejectedException(name, status, reason);
    }

    /** Whether the status says "not now" (408, 425, 429, 502, 503, 504): retried without limit. */
    public static boolean unavailable(int status) {
        return UNAVAILABLE.contains(status);
    }

    /** A call that got no answer (connection refused, reset, timeout): the target is unavailable. */
    public static TargetUnavailableException unreachable(String name, io.orderhub.common.CallRecord calls, String request,
                                                         Throwable failure) {
        boolean timeout = failure instanceof java.net.SocketTimeoutException || failure instanceof HttpTimeoutException;
        calls.failed(timeout ? "timeout" : "cannot be reached: " + failure.getClass().getSimpleName());
        return new TargetUnavailableException(name, null, timeout ? name + " did not answer " + request + " in time"
                : name + " cannot be reached for " + request + ": " + failure, failure);
    }

    private byte[] bytes(TargetRequest request) {
        try {
            return json.writeValueAsBytes(request.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body cannot be written as JSON", e);
        }
    }

    public static String describe(TargetRequest request) {
        return request.method() + " " + request.path();
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > REASON_MAX ? flat.substring(0, REASON_MAX) + "…" : flat;
    }
}
