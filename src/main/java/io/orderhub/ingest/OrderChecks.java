package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.format.MappedOrder;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.CanonicalOrderValidator;
import io.orderhub.order.DocumentPurpose;

/**
 * The validate step for one mapped order, shared by submission ({@link #prepare}) and preview ({@link IntakePreview})
 * so the two cannot disagree: its purpose, then the checks that purpose needs (a reference for a cancellation or
 * copy, the line changes of a change document, schema, business rules and the intake checks for an order).
 * Nothing is stored.
 */
final class OrderChecks {

    private final CanonicalOrderValidator validator;
    private final ObjectMapper json;
    private final List<IntakeCheck> checks;
    private final List<LineTranslation> translations;

    OrderChecks(CanonicalOrderValidator validator, ObjectMapper json, List<IntakeCheck> checks,
                List<LineTranslation> translations) {
        this.validator = validator;
        this.json = json;
        this.checks = List.copyOf(checks);
        this.translations = List.copyOf(translations);
    }

    /** A mapped order after every check of intake: the order (null when refused) and the problems found. */
    record Checked(CanonicalOrder order, List<FieldError> errors) {
    }

    /** The document's purpose ({@code purpose}, ORIGINAL when absent), or the error naming an unknown one. */
    record Purpose(DocumentPurpose purpose, FieldError error) {
    }

    /** Ids trimmed and NFC-normalised: the order is stored, and found again, by the normalised form. */
    MappedOrder normalized(MappedOrder asMapped) {
        return new MappedOrder(validator.normalize(asMapped.order()), asMapped.documentId(), asMapped.position(),
                asMapped.errors());
    }

    int maxLines() {
        return validator.maxLines();
    }

    /** Checks one mapped order as the create step needs it; a document over the line limit is refused as a whole. */
    PreparedOrder prepare(MappedOrder asMapped, Channel channel) {
        MappedOrder mapped = normalized(asMapped);
        Purpose named = purposeOf(mapped);
        if (named.error() != null) {
            return PreparedOrder.refused(mapped, null, List.of(named.error()));
        }
        DocumentPurpose purpose = named.purpose();
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            List<FieldError> errors = referenceErrors(purpose, mapped, channel);
            return errors.isEmpty() ? new PreparedOrder(mapped, purpose, null, null, null)
                    : PreparedOrder.refused(mapped, purpose, errors);
        }
        if (purpose == DocumentPurpose.CHANGE) {
            ChangeRequest request = ChangeRequest.of(mapped, channel);
            return request.errors().isEmpty() ? new PreparedOrder(mapped, purpose, null, null, request)
                    : PreparedOrder.refused(mapped, purpose, request.errors());
        }
        if (mapped.order() != null && mapped.order().path("lines").size() > validator.maxLines()) {
            throw OrderHubException.field(Problem.TOO_LARGE, "/lines", "has " + mapped.order().path("lines").size()
                    + " lines; at most " + validator.maxLines() + " are accepted in one order");
        }
        Checked checked = check(mapped, channel);
        if (!checked.errors().isEmpty()) {
            return PreparedOrder.refused(mapped, purpose, checked.errors());
        }
        return new PreparedOrder(mapped, purpose, null, checked.order(), null);
    }

    /**
     * Every problem a submission finds with one mapped order, in the order intake finds them: the mapping's
     * own, a channel named in the document that is not the sender, validation, then the intake checks
     * (catalogue, ...) on the bound order; repeated problems grouped ({@link ProblemGroups}).
     */
    Checked check(MappedOrder mapped, Channel channel) {
        List<FieldError> errors = new ArrayList<>(mapped.errors());
        if (mapped.order() != null) {
            JsonNode named = mapped.order().path("channel");
            if (channel != null && named.isTextual() && !named.asText().equals(channel.id())) {
                errors.add(FieldError.of("/channel", "names channel '" + named.asText() + "' but the document came from '"
                        + channel.id() + "'"));
            }
            errors.addAll(validator.validate(mapped.order()));
        } else if (errors.isEmpty()) {
            errors.add(FieldError.of("", "the mapping produced no order"));
        }
        if (!errors.isEmpty()) {
            return new Checked(null, ProblemGroups.group(errors));
        }
        CanonicalOrder order = bind(mapped.order());
        for (LineTranslation translation : translations) {
            order = translation.translate(order, channel == null ? null : channel.id());
        }
        for (IntakeCheck check : checks) {
            errors.addAll(check.check(order, channel == null ? null : channel.id()));
        }
        return new Checked(errors.isEmpty() ? order : null, ProblemGroups.group(errors));
    }

    static Purpose purposeOf(MappedOrder mapped) {
        if (mapped.order() != null) {
            JsonNode named = mapped.order().path("purpose");
            if (!named.isMissingNode() && !named.isNull()) {
                java.util.Optional<DocumentPurpose> known = named.isTextual() ? DocumentPurpose.parse(named.asText())
                        : java.util.Optional.empty();
                if (known.isEmpty()) {
                    return new Purpose(null, FieldError.of("/purpose", "is '" + named.asText() + "'; expected one of "
                            + java.util.Arrays.toString(DocumentPurpose.values())));
                }
                return new Purpose(known.get(), null);
            }
        }
        return new Purpose(DocumentPurpose.ORIGINAL, null);
    }

    /**
     * What stands in the way of a cancellation or copy: a channel named in the document that is not the sender, or
     * no externalId (then with the mapping's own errors). Nothing else of the document is checked.
     */
    static List<FieldError> referenceErrors(DocumentPurpose purpose, MappedOrder mapped, Channel channel) {
        JsonNode named = mapped.order().path("channel");
        if (channel != null && named.isTextual() && !named.asText().equals(channel.id())) {
            return List.of(FieldError.of("/channel", "names channel '" + named.asText() + "' but the document came from '"
                    + channel.id() + "'"));
        }
        JsonNode externalId = mapped.order().path("externalId");
        if (!externalId.isTextual() || externalId.asText().isBlank()) {
            List<FieldError> errors = new ArrayList<>(mapped.errors());
            errors.add(FieldError.of("/externalId", "is required: a " + purpose.name().toLowerCase(java.util.Locale.ROOT)
                    + " document must name the order it refers to"));
            return errors;
        }
        return List.of();
    }

    /** The changed order checked as a submission would be (schema, business rules, intake checks). */
    Function<CanonicalOrder, List<String>> changedOrderProblems(Channel channel) {
        return changed -> {
            ObjectNode node = json.valueToTree(changed);
            node.remove(List.of("orderId", "channel", "receivedAt", "status", "source"));
            List<FieldError> wrong = new ArrayList<>(validator.validate(node));
            if (wrong.isEmpty()) {
                for (IntakeCheck check : checks) {
                    wrong.addAll(check.check(changed, channel.id()));
                }
            }
            return wrong.stream().map(e -> e.field() + " " + e.message()).toList();
        };
    }

    private CanonicalOrder bind(JsonNode document) {
        try {
            JsonNode content = document;
            if (document.has("purpose")) {
                content = document.deepCopy();
                ((ObjectNode) content).remove("purpose");
            }
            return json.treeToValue(content, CanonicalOrder.class);
        } catch (JsonProcessingException e) {
            String at = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? pointer(m.getPath()) : "body";
            throw OrderHubException.field(Problem.INVALID, at, "does not fit the canonical order (wrong type or value)");
        }
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            b.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return b.toString();
    }
}
