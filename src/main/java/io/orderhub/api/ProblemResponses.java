package io.orderhub.api;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Writes a problem document straight to a servlet response (for the filters that answer before Camel). */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static void write(ObjectMapper json, HttpServletRequest request, HttpServletResponse response, Problem problem,
                      FieldError error, long retryAfterSeconds) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(ProblemDocument.MEDIA_TYPE);
        if (retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        json.writeValue(response.getOutputStream(), ProblemDocument.of(problem, error.field() + ": " + error.message(),
                List.of(error), request.getRequestURI(), null));
    }
}
