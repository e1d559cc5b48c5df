package io.orderhub.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;

/** An RFC 9457 problem document with the hub's extension members {@code errors} and {@code receiptId}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDocument(String type, String title, int status, String detail, String instance,
                              String receiptId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDocument of(Problem problem, String detail, List<FieldError> errors, String instance,
                                     String receiptId) {
        return new ProblemDocument("urn:orderhub:problem:" + problem.name().toLowerCase().replace('_', '-'),
                problem.title(), problem.status(), detail, instance, receiptId, errors);
    }
}
