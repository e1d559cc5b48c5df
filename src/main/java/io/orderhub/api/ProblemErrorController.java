package io.orderhub.api;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors of the HTTP layer (an unknown path, a method a path does not take, a failure outside the routes) as
 * problem documents, whatever the request's Accept header: no Whitelabel HTML page, no stack trace, no
 * exception message.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private final ObjectMapper json;

    public ProblemErrorController(ObjectMapper json) {
        this.json = json;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response)
            throws JsonProcessingException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? request.getRequestURI() : uri.toString();
        ProblemDocument doc = switch (status) {
            case 405 -> methodNotAllowed(request.getMethod(), response.getHeader(HttpHeaders.ALLOW), instance);
            case 415 -> unsupportedMediaType(request.getContentType(), instance);
            default -> describe(status, instance);
        };
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, ProblemDocument.MEDIA_TYPE);
        headers.setCacheControl("no-store");
        return new ResponseEntity<>(json.writeValueAsBytes(doc), headers, HttpStatus.valueOf(doc.status()));
    }

    /** 405 naming the method and the methods the path takes (its Allow header). */
    static ProblemDocument methodNotAllowed(String method, String allow, String instance) {
        String message = printable(method) + " is not taken by this path"
                + (allow == null || allow.isBlank() ? "" : "; it takes " + allow);
        return new ProblemDocument("urn:orderhub:problem:method-not-allowed", "Method not allowed", 405, "method: " + message,
                instance, null, List.of(FieldError.of("method", message)));
    }

    /** 415 naming the Content-Type the request had. */
    static ProblemDocument unsupportedMediaType(String contentType, String instance) {
        String message = contentType == null || contentType.isBlank() ? "is missing; send application/json"
                : "'" + printable(contentType) + "' is not accepted here; send application/json";
        return ProblemDocument.of(Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type: " + message,
                List.of(FieldError.of("Content-Type", message)), instance, null);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(100).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    static ProblemDocument describe(int status, String instance) {
        for (Problem p : Problem.values()) {
            if (p.status() == status) {
                return ProblemDocument.of(p, message(status), List.of(FieldError.of("path", message(status))), instance, null);
            }
        }
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null || known.is5xxServerError() || status < 400) {
            return new ProblemDocument("urn:orderhub:problem:internal", "Internal error", 500,
                    "the hub failed to process the request", instance, null, null);
        }
        String name = known.name().toLowerCase().replace('_', '-');
        return new ProblemDocument("urn:orderhub:problem:" + name, known.getReasonPhrase(), status, message(status),
                instance, null, List.of(FieldError.of("path", message(status))));
    }

    private static String message(int status) {
        return switch (status) {
            case 404 -> "no resource here; see /api/openapi.json for the API";
            case 405 -> "this path does not take this HTTP method";
            case 406 -> "no answer in an accepted media type; the API answers application/json";
            case 415 -> "this content type is not accepted here";
            case 413 -> "the request is larger than accepted";
            case 400 -> "the request cannot be read";
            case 401 -> "authentication required";
            case 403 -> "not allowed";
            default -> HttpStatus.resolve(status) == null ? "failed" : HttpStatus.resolve(status).getReasonPhrase();
        };
    }
}
