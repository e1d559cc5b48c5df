package io.orderhub.format;

import java.util.List;

import io.orderhub.common.FieldError;

/**
 * What a format made of a document: the orders it found, problems with the document as a whole
 * (a broken envelope, malformed XML: then usually no orders), and for EDI the acknowledgement to
 * return to the sender (X12 997, EDIFACT CONTRL), or null.
 */
public record FormatResult(List<MappedOrder> orders, List<FieldError> documentErrors, Acknowledgement acknowledgement) {

    public FormatResult {
        orders = orders == null ? List.of() : List.copyOf(orders);
        documentErrors = documentErrors == null ? List.of() : List.copyOf(documentErrors);
    }

    public static FormatResult of(List<MappedOrder> orders) {
        return new FormatResult(orders, List.of(), null);
    }

    public static FormatResult rejected(List<FieldError> errors) {
        return new FormatResult(List.of(), errors, null);
    }

    /** An acknowledgement document: {@code type} e.g. {@code 997} or {@code CONTRL}. */
    public record Acknowledgement(String type, String contentType, String body) {
    }
}
