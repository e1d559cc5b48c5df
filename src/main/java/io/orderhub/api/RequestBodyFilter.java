package io.orderhub.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.ApiProperties;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import io.orderhub.ingest.InboundDocument;
import io.orderhub.ingest.ReceiptStatus;
import io.orderhub.ingest.ReceiptStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards request bodies under {@code /api/} before Camel sees them: a body over the size limit is
 * answered 413, and form or multipart content types (which the HTTP layer would parse as form
 * fields) 415. When the request was an order document, its first bytes are kept as a REJECTED
 * receipt, so even a refused document can be looked at.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestBodyFilter extends OncePerRequestFilter {

    private static final Pattern DOCUMENT_PATHS = Pattern.compile("^/api/(orders|channels/[^/]+/orders)/?$");
    private static final List<String> FORM_TYPES = List.of("application/x-www-form-urlencoded", "multipart/form-data");

    private final long maxBytes;
    private final ReceiptStore receipts;
    private final ObjectMapper json;

    public RequestBodyFilter(ApiProperties api, ReceiptStore receipts,
                             ObjectMapper json) {
        this.maxBytes = api.maxBodyBytes();
        this.receipts = receipts;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !request.getRequestURI().startsWith("/api/")
                || !("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        long declared = request.getContentLengthLong();
        byte[] body = declared > maxBytes ? readAtMost(request.getInputStream(), maxBytes)
                : readAtMost(request.getInputStream(), maxBytes + 1);
        boolean tooLarge = declared > maxBytes || body.length > maxBytes;
        if (tooLarge) {
            byte[] kept = body.length > maxBytes ? java.util.Arrays.copyOf(body, (int) maxBytes) : body;
            refuse(request, response, Problem.TOO_LARGE, kept, true, FieldError.of("body",
                    "is larger than the limit of " + maxBytes + " bytes"));
            return;
        }
        if (FORM_TYPES.contains(mime)) {
            refuse(request, response, Problem.UNSUPPORTED_MEDIA_TYPE, body, false, FieldError.of("Content-Type",
                    "'" + contentType + "' is not accepted; send the document with its own type, e.g. application/json"));
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem, byte[] body,
                        boolean truncated, FieldError error) throws IOException {
        String receiptId = null;
        if (DOCUMENT_PATHS.matcher(request.getRequestURI()).matches()) {
            receiptId = receipts.store(new InboundDocument(null, "rest", request.getContentType(), body, truncated));
            receipts.decide(receiptId, ReceiptStatus.REJECTED, null, null, List.of(), List.of(error));
            response.setHeader(ApiExchange.RECEIPT_HEADER, receiptId);
        }
        response.setStatus(problem.status());
        response.setContentType(ProblemDocument.MEDIA_TYPE);
        if (problem == Problem.TOO_LARGE) {
            response.setHeader("Connection", "close");
        }
        json.writeValue(response.getOutputStream(), ProblemDocument.of(problem, error.field() + ": " + error.message(),
                List.of(error), request.getRequestURI(), receiptId));
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    /** The request with its body already read into memory. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
