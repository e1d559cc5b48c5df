package io.orderhub.api;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

import io.orderhub.security.ClientCertificates;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands the channel a request's verified TLS client certificate is bound to ({@link ClientCertificates}) to the API's
 * guard as the header {@value #HEADER}, which only this filter sets. The certificate is the one of the hub's own TLS
 * handshake, else the one a configured TLS-terminating proxy verified and passed on in its header, on a connection from
 * that proxy only ({@link io.orderhub.security.ForwardedClientCertificates}). The same header sent by a client is dropped, so
 * it cannot be forged. Requests without a certificate, or with one bound to no channel, carry no such header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ClientCertificateFilter extends OncePerRequestFilter {

    /** The channel of the request's client certificate (set here only). */
    public static final String HEADER = "X-OrderHub-Certificate-Channel";
    static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final ClientCertificates certificates;
    private final io.orderhub.security.ForwardedClientCertificates forwarded;

    public ClientCertificateFilter(ClientCertificates certificates,
                                   io.orderhub.security.ForwardedClientCertificates forwarded) {
        this.certificates = certificates;
        this.forwarded = forwarded;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the hub's own TLS handshake first; else the certificate a configured TLS-terminating proxy verified and passed on
        Optional<String> channel = request.getAttribute(CERTIFICATES) instanceof X509Certificate[] chainOf
                ? certificates.channelOf(chainOf)
                : forwarded.certificate(request.getRemoteAddr(), request.getHeader(forwarded.header()))
                        .flatMap(c -> certificates.channelOf(new X509Certificate[] {c}));
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return HEADER.equalsIgnoreCase(name) ? channel.orElse(null) : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(channel.stream().toList()) : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = new ArrayList<>();
                for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                    String n = e.nextElement();
                    if (!HEADER.equalsIgnoreCase(n)) {
                        names.add(n);
                    }
                }
                channel.ifPresent(c -> names.add(HEADER));
                return Collections.enumeration(names);
            }
        }, response);
    }
}
