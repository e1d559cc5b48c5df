package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;

/**
 * What a document would become, without storing anything: the format it is read as, problems with the
 * document as a whole, and per order the canonical order and every mapping and validation problem.
 */
public record Preview(String format, List<FieldError> documentErrors, List<PreviewOrder> orders,
                      FormatResult.Acknowledgement acknowledgement) {

    public record PreviewOrder(int position, String documentId, boolean valid, JsonNode order, List<FieldError> errors) {
    }
}
