package io.orderhub.common;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A blocking HTTP/1.1 client for the partner APIs the stages call (payment gateways, carriers): the caller's thread
 * sends the request and reads the answer itself, over a pool of kept-alive connections (Apache HttpClient 5, classic).
 * The JDK's {@code java.net.http.HttpClient} these clients used ran each call over three threads (the caller, its
 * selector thread and a worker that completes the answer), and asked a plain {@code http://} partner to upgrade to
 * HTTP/2 on every request. {@code bench/partner-calls.sh} measured a median of 158 µs of client CPU per call for it
 * against 82 µs here, and its selector and worker threads were 5.6 % of the hub's CPU in the lifecycle benchmark
 * (docs/benchmarks.md, issue 17, "Eleventh round").
 * <p>
 * No automatic retries, redirects, cookies or compression, as before: the callers retry with their idempotency keys.
 * A connection idle for more than a second is checked before it is used again (a partner that closed it is not sent a
 * request on it). Thread-safe; one per registry of partner clients, closed with it.
 */
public final class PartnerHttp implements AutoCloseable {

    /** Most connections to one partner address (and in all): more callers wait for one, up to their timeout. */
    public static final int MAX_CONNECTIONS = 64;

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;

    public PartnerHttp(Duration connectTimeout) {
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** A partner's answer: its status and its body as text (UTF-8 unless the answer names another charset). */
    public record Answer(int statusCode, String body) {
    }

    /** The partner did not connect or answer within the time allowed. */
    public static final class TimedOut extends IOException {
        public TimedOut(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sends {@code method uri} with {@code headers} and {@code body} (none when null; its {@code Content-Type} header
     * names its type) and returns the answer, whatever its status.
     *
     * @param timeout the longest wait for a pooled connection and then for each part of the answer
     * @throws TimedOut when the partner did not connect or answer in time
     * @throws IOException when it cannot be reached or the connection broke
     */
    public Answer send(String method, URI uri, Duration timeout, Map<String, String> headers, String body)
            throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .setResponseTimeout(Timeout.of(timeout))
                .build());
        headers.forEach(request::setHeader);
        if (body != null) {
            String type = headers.get("Content-Type");
            request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8),
                    type == null ? null : ContentType.parse(type)));
        }
        try {
            return client.execute(request, response -> new Answer(response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
        } catch (ConnectTimeoutException e) {
            throw new TimedOut("no connection to " + uri.getAuthority() + " in time: " + e.getMessage(), e);
        } catch (org.apache.hc.client5.http.impl.classic.RequestFailedException e) {
            throw new IOException("the call to " + uri.getAuthority() + " was aborted", e);
        } catch (org.apache.hc.core5.http.ConnectionRequestTimeoutException e) {
            throw new TimedOut("no free connection to " + uri.getAuthority() + " within " + timeout.toMillis() + " ms", e);
        } catch (SocketTimeoutException e) {
            throw new TimedOut("no answer from " + uri.getAuthority() + " within " + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public void close() {
        client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
        pool.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
    }
}
