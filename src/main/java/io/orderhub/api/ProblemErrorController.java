package io.orderhub.api;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
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
    public ResponseEntity<byte[]> error(HttpServletRequest request) throws JsonProcessingException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? request.getRequestURI() : uri.toString();
        ProblemDocument doc = describe(status, instance);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, ProblemDocument.MEDIA_TYPE);
        headers.setCacheControl("no-store");
        return new ResponseEntity<>(json.writeValueAsBytes(doc), headers, HttpStatus.valueOf(doc.status()));
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
