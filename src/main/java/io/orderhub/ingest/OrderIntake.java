package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.format.CanonicalJsonFormat;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatRegistry;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.CanonicalOrderValidator;
import io.orderhub.order.DocumentPurpose;
import io.orderhub.order.LineChange;
import io.orderhub.order.OrderAmendments;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.springframework.stereotype.Service;

/**
 * Turns a stored inbound document into orders: find the channel, check it may send this format over
 * this transport, map the document to canonical orders, validate each, create each. Whatever the
 * outcome, the receipt records it: the orders made (ACCEPTED), the orders it repeats (DUPLICATE) or
 * every problem found (REJECTED). A document with one order that cannot be taken is refused as a
 * whole (422); in a document with several orders, each order succeeds or fails on its own.
 */
@Service
public class OrderIntake {

    private final ReceiptStore receipts;
    private final ChannelRegistry channels;
    private final CanonicalOrderValidator validator;
    private final OrderService orders;
    private final ObjectMapper json;
    private final FormatRegistry formats;
    private final MappingFiles mappings;
    private final List<IntakeCheck> checks;
    private final OrderAmendments amendments;
    private final List<LineTranslation> translations;

    public OrderIntake(ReceiptStore receipts, ChannelRegistry channels, CanonicalOrderValidator validator,
                       OrderService orders, ObjectMapper json, FormatRegistry formats, MappingFiles mappings,
                       List<IntakeCheck> checks, OrderAmendments amendments, List<LineTranslation> translations) {
        this.amendments = amendments;
        this.checks = List.copyOf(checks);
        this.translations = List.copyOf(translations);
        this.receipts = receipts;
        this.channels = channels;
        this.validator = validator;
        this.orders = orders;
        this.json = json;
        this.formats = formats;
        this.mappings = mappings;
    }

    /**
     * A canonical JSON order sent to {@code POST /api/orders}: the channel is the caller's own for
     * CHANNEL keys, and the document's {@code channel} field for OPS and ADMIN.
     */
    public Submission submitCanonical(String receiptId, byte[] body, Caller caller, String via) {
        return recording(receiptId, () -> {
            JsonNode document = parseCanonical(body);
            Channel channel = channelOf(document, caller);
            receipts.assignChannel(receiptId, channel.id());
            allow(channel, CanonicalJsonFormat.ID, via);
            JsonNode externalId = document.path("externalId");
            MappedOrder mapped = MappedOrder.of(document, externalId.isTextual() ? externalId.asText() : null, 1);
            return decide(receiptId, CanonicalJsonFormat.ID, List.of(process(mapped, channel, CanonicalJsonFormat.ID, via,
                    receiptId, null, true)), null);
        });
    }

    /**
     * A raw document sent for a channel ({@code POST /api/channels/{channel}/orders}, e-mail, JMS):
     * the format is the one named, or the one recognised from the content and content type.
     */
    public Submission submitDocument(String receiptId, String channelId, String formatHint, String contentType,
                                     byte[] body, Caller caller, String via) {
        DocumentIntake document = new DocumentIntake(receiptId, channelId, formatHint, contentType, body, caller, via);
        return recording(receiptId, () -> {
            recognise(document);
            map(document, document.mapping());
            validate(document);
            return create(document);
        });
    }

    /*
     * The steps of submitDocument, one by one, for the intake routes (TransportIntake runs them, each recording a
     * refusal on the receipt). A step throws OrderHubException for a refusal the sender must fix; anything else
     * (the database away) is the transport's to retry.
     */

    /** Recognise: the channel, whether it may send, the format (named or recognised) and the mapping it uses. */
    void recognise(DocumentIntake document) {
        Channel channel = channels.require(document.channelId(), "channel");
        Caller caller = document.caller();
        if (caller != null && !caller.maySee(channel.id())) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel", "your API key is bound to channel '"
                    + caller.channel() + "' and may not submit for '" + channel.id() + "'");
        }
        receipts.assignChannel(document.receiptId(), channel.id());
        DocumentFormat format = formats.resolve(document.formatHint(), document.body(), document.contentType());
        allow(channel, format.id(), document.via());
        document.channel = channel;
        document.format = format;
        document.mapping = format.mappingFile(new MappingContext(channel, mappings));
    }

    /** Map: the document to canonical order candidates with {@code mapping} (null: the format's own choice). */
    void map(DocumentIntake document, String mapping) {
        DocumentFormat format = document.format;
        FormatResult read = format.read(document.body(), new MappingContext(document.channel, mappings, mapping));
        if (read.orders().isEmpty()) {
            List<FieldError> errors = read.documentErrors().isEmpty()
                    ? List.of(FieldError.of("body", "holds no order")) : read.documentErrors();
            receipts.decide(document.receiptId(), ReceiptStatus.REJECTED, format.id(), null, List.of(), errors,
                    read.acknowledgement());
            throw new OrderHubException(Problem.INVALID, "the " + format.id() + " document cannot be read", errors);
        }
        document.read = read;
    }

    /** Validate: each mapped order (purpose, schema and rules, intake checks); nothing is stored. */
    void validate(DocumentIntake document) {
        List<Prepared> prepared = new ArrayList<>();
        for (MappedOrder mapped : document.read.orders()) {
            prepared.add(prepare(mapped, document.channel));
        }
        document.prepared = prepared;
    }

    /** Create: each valid order (or its cancellation, replacement, change), then the receipt's outcome. */
    Submission create(DocumentIntake document) {
        List<OrderResult> results = new ArrayList<>();
        boolean single = document.prepared.size() == 1;
        String format = document.format.id();
        for (Prepared prepared : document.prepared) {
            results.add(act(prepared, document.channel, format, document.via(), document.receiptId(),
                    document.read.acknowledgement(), single));
        }
        return decide(document.receiptId(), format, results, document.read.acknowledgement());
    }

    /**
     * Runs a document through every check {@link #submitDocument} runs, storing nothing, and says what the
     * submission would do: for integration engineers trying a mapping and partners testing a document.
     * With a channel: its mapping variants, the formats it may send, and whether an order repeats one the
     * channel already has (same external id). The catalogue and the other intake checks run either way.
     */
    public Preview preview(String formatHint, String channelId, String contentType, byte[] body) {
        Channel channel = channelId == null || channelId.isBlank() ? null : channels.require(channelId, "channel");
        DocumentFormat format = formats.resolve(formatHint, body, contentType);
        FormatResult read = format.read(body, new MappingContext(channel, mappings));
        List<FieldError> documentErrors = new ArrayList<>(read.documentErrors());
        if (channel != null && !channel.allowsFormat(format.id())) {
            documentErrors.add(FieldError.of("format", "channel '" + channel.id() + "' may not send the " + format.id()
                    + " format; it allows " + channel.formats()));
        }
        List<Preview.PreviewOrder> orders = new ArrayList<>();
        for (MappedOrder asMapped : read.orders()) {
            // as a submission: ids trimmed and NFC-normalised before the checks and the duplicate lookup
            MappedOrder mapped = new MappedOrder(validator.normalize(asMapped.order()), asMapped.documentId(),
                    asMapped.position(), asMapped.errors());
            orders.add(foresee(mapped, channel, !documentErrors.isEmpty()));
        }
        return new Preview(format.id(), documentErrors, orders, read.acknowledgement());
    }

    /**
     * One order of a previewed document: the same steps as {@link #process} in the same order (purpose, then the
     * checks that purpose needs), and instead of acting, what the action would do ({@link OrderAmendments#foresee}
     * for a cancellation, replacement, change or copy).
     */
    private Preview.PreviewOrder foresee(MappedOrder mapped, Channel channel, boolean documentRefused) {
        Purpose named = purposeOf(mapped);
        if (named.error() != null) {
            return previewed(mapped, false, List.of(named.error()), Preview.Outcome.REJECT, null, null);
        }
        DocumentPurpose purpose = named.purpose();
        List<FieldError> errors;
        String externalId = null;
        CanonicalOrder order = null;
        ChangeRequest change = null;
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            errors = referenceErrors(purpose, mapped, channel);
            externalId = mapped.order().path("externalId").asText();
        } else if (purpose == DocumentPurpose.CHANGE) {
            change = changeRequest(mapped, channel);
            errors = change.errors();
            externalId = change.externalId();
        } else {
            errors = new ArrayList<>();
            if (mapped.order() != null && mapped.order().path("lines").size() > validator.maxLines()) {
                errors.add(FieldError.of("/lines", "has " + mapped.order().path("lines").size()
                        + " lines; at most " + validator.maxLines() + " are accepted in one order"));
            }
            Checked checked = errors.isEmpty() ? check(mapped, channel) : new Checked(null, errors);
            errors = checked.errors();
            order = checked.order();
            externalId = order == null ? null : order.externalId();
        }
        boolean valid = errors.isEmpty() && mapped.order() != null;
        if (!errors.isEmpty() || documentRefused) {
            return previewed(mapped, valid, errors, Preview.Outcome.REJECT, null, null);
        }
        if (channel == null) {
            return previewed(mapped, true, errors, Preview.Outcome.VALID_WITHOUT_CHANNEL, null, null);
        }
        if (purpose == DocumentPurpose.ORIGINAL) {
            String existing = orders.existing(channel.id(), externalId).map(CanonicalOrder::orderId).orElse(null);
            return existing == null
                    ? previewed(mapped, true, errors, Preview.Outcome.CREATE, null, "a new order would be created")
                    : previewed(mapped, true, errors, Preview.Outcome.DUPLICATE, existing, "the channel sent externalId '"
                            + externalId + "' before: answered with order " + existing + ", nothing created");
        }
        OrderAmendments.Outcome would = amendments.foresee(purpose, channel.id(), externalId, order,
                change == null ? null : change.changes(), change == null ? null : change.header(),
                change == null ? null : changedOrderProblems(channel));
        return switch (would.kind()) {
            case CANCELLED -> previewed(mapped, true, errors, Preview.Outcome.CANCEL, would.order().orderId(), would.reason());
            case REPLACED -> previewed(mapped, true, errors, purpose == DocumentPurpose.CHANGE ? Preview.Outcome.CHANGE
                    : Preview.Outcome.REPLACE, would.order().orderId(), would.reason());
            case DUPLICATE -> previewed(mapped, true, errors, Preview.Outcome.DUPLICATE, would.order().orderId(),
                    would.reason());
            case REFUSED -> would.order() == null
                    ? previewed(mapped, false, List.of(FieldError.of("/purpose", would.reason())),
                            Preview.Outcome.UNKNOWN_ORDER, null, would.reason())
                    : previewed(mapped, false, List.of(FieldError.of("/purpose", would.reason())),
                            Preview.Outcome.REFUSE, would.order().orderId(), would.reason());
        };
    }

    private static Preview.PreviewOrder previewed(MappedOrder mapped, boolean valid, List<FieldError> errors,
                                                  Preview.Outcome outcome, String existing, String detail) {
        return new Preview.PreviewOrder(mapped.position(), mapped.documentId(), valid, mapped.order(), errors, outcome,
                existing, detail);
    }

    /** A mapped order after every check of intake: the order (null when refused) and the problems found. */
    private record Checked(CanonicalOrder order, List<FieldError> errors) {
    }

    /**
     * Every problem a submission finds with one mapped order, in the order intake finds them: the mapping's
     * own, a channel named in the document that is not the sender, validation, then the intake checks
     * (catalogue, ...) on the bound order; repeated problems grouped ({@link ProblemGroups}). Shared by
     * submission and preview so the two cannot disagree.
     */
    private Checked check(MappedOrder mapped, Channel channel) {
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

    /**
     * Runs a stored document again through today's mappings, on the same receipt (its outcome is
     * replaced). Orders it already made are found again by (channel, externalId), never made twice.
     */
    public Submission replay(Receipt receipt, byte[] body) {
        if (receipt.channel() == null) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " has no channel (it was refused before its channel was known) and cannot be replayed");
        }
        if (receipt.truncated()) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " keeps only the start of an oversized document and cannot be replayed");
        }
        if (receipts.contentRemoved(receipt.receiptId())) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " no longer holds its document (removed by retention) and cannot be replayed");
        }
        if (new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains(io.orderhub.common.CardNumbers.REDACTED)) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " held a payment card number, which was removed; the sender must send the document again without it");
        }
        receipts.reopen(receipt.receiptId());
        return submitDocument(receipt.receiptId(), receipt.channel(), null, receipt.contentType(), body, null,
                receipt.via());
    }

    /**
     * One mapped order after the validate step: its purpose and either the refusal ({@code refused}), the valid
     * order ({@code order}: an original or a replacement), or what it refers to (a cancellation or copy by its
     * externalId, a change by {@code change}).
     */
    record Prepared(MappedOrder mapped, DocumentPurpose purpose, OrderResult refused, CanonicalOrder order,
                    ChangeRequest change) {
    }

    /** Validates and creates one mapped order (the validate and create steps for one order). */
    private OrderResult process(MappedOrder mapped, Channel channel, String format, String via, String receiptId,
                                FormatResult.Acknowledgement ack, boolean single) {
        return act(prepare(mapped, channel), channel, format, via, receiptId, ack, single);
    }

    /** Checks one mapped order as {@link #act} needs it; a document over the line limit is refused as a whole. */
    private Prepared prepare(MappedOrder asMapped, Channel channel) {
        // ids trimmed and NFC-normalised: the order is stored, and found again, by the normalised form
        MappedOrder mapped = new MappedOrder(validator.normalize(asMapped.order()), asMapped.documentId(),
                asMapped.position(), asMapped.errors());
        Purpose named = purposeOf(mapped);
        if (named.error() != null) {
            return refused(mapped, null, List.of(named.error()));
        }
        DocumentPurpose purpose = named.purpose();
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            List<FieldError> errors = referenceErrors(purpose, mapped, channel);
            return errors.isEmpty() ? new Prepared(mapped, purpose, null, null, null) : refused(mapped, purpose, errors);
        }
        if (purpose == DocumentPurpose.CHANGE) {
            ChangeRequest request = changeRequest(mapped, channel);
            return request.errors().isEmpty() ? new Prepared(mapped, purpose, null, null, request)
                    : refused(mapped, purpose, request.errors());
        }
        if (mapped.order() != null && mapped.order().path("lines").size() > validator.maxLines()) {
            throw OrderHubException.field(Problem.TOO_LARGE, "/lines", "has " + mapped.order().path("lines").size()
                    + " lines; at most " + validator.maxLines() + " are accepted in one order");
        }
        Checked checked = check(mapped, channel);
        if (!checked.errors().isEmpty()) {
            return refused(mapped, purpose, checked.errors());
        }
        return new Prepared(mapped, purpose, null, checked.order(), null);
    }

    private static Prepared refused(MappedOrder mapped, DocumentPurpose purpose, List<FieldError> errors) {
        return new Prepared(mapped, purpose, new OrderResult(mapped.position(), mapped.documentId(),
                OrderResult.Outcome.REJECTED, null, null, errors), null, null);
    }

    /**
     * Acts on one validated order. For a document holding this one order ({@code single}), the receipt's outcome
     * (ACCEPTED, the order number) is written in the transaction that stores the order: the database going away
     * between two commits cannot leave an order whose receipt says nothing happened.
     */
    private OrderResult act(Prepared prepared, Channel channel, String format, String via, String receiptId,
                            FormatResult.Acknowledgement ack, boolean single) {
        if (prepared.refused() != null) {
            return prepared.refused();
        }
        MappedOrder mapped = prepared.mapped();
        CanonicalOrder.Source source = new CanonicalOrder.Source(format, via, receiptId, mapped.documentId(),
                mapped.position());
        DocumentPurpose purpose = prepared.purpose();
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            return answer(mapped, amendments.apply(purpose, channel.id(), mapped.order().path("externalId").asText(),
                    null, source));
        }
        if (purpose == DocumentPurpose.CHANGE) {
            ChangeRequest request = prepared.change();
            return answer(mapped, amendments.change(channel.id(), request.externalId(), request.changes(),
                    request.header(), source, changedOrderProblems(channel)));
        }
        CanonicalOrder order = prepared.order();
        if (purpose == DocumentPurpose.REPLACE) {
            return answer(mapped, amendments.apply(DocumentPurpose.REPLACE, channel.id(), order.externalId(), order,
                    source));
        }
        OrderService.Creation creation = orders.create(order, channel.id(), source,
                created -> {
                    if (single) {
                        receipts.decide(receiptId, ReceiptStatus.ACCEPTED, format, mapped.documentId(),
                                List.of(created.orderId()), List.of(), ack);
                    }
                });
        return new OrderResult(mapped.position(), mapped.documentId(),
                creation.created() ? OrderResult.Outcome.CREATED : OrderResult.Outcome.DUPLICATE,
                creation.order().orderId(), creation.order(), List.of());
    }

    /** The document's purpose ({@code purpose}, ORIGINAL when absent), or the error naming an unknown one. */
    private record Purpose(DocumentPurpose purpose, FieldError error) {
    }

    private static Purpose purposeOf(MappedOrder mapped) {
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
    private static List<FieldError> referenceErrors(DocumentPurpose purpose, MappedOrder mapped, Channel channel) {
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

    /**
     * A change document (X12 860, EDIFACT ORDCHG) names an order and its line changes, each {@code lineNo},
     * {@code change} (ADD, CHANGE or DELETE) and the values it sets. The changed order is checked as a submission
     * would be (schema, business rules, intake checks) before it replaces the stored one ({@link #act}).
     */
    /** A change document read: the order it names, its line changes, or the problems with it. */
    record ChangeRequest(String externalId, List<LineChange> changes, io.orderhub.order.HeaderChange header,
                         List<FieldError> errors) {
    }

    private static ChangeRequest changeRequest(MappedOrder mapped, Channel channel) {
        List<FieldError> errors = new ArrayList<>(mapped.errors());
        JsonNode document = mapped.order();
        JsonNode externalId = document.path("externalId");
        if (!externalId.isTextual() || externalId.asText().isBlank()) {
            errors.add(FieldError.of("/externalId", "is required: a change document must name the order it changes"));
        }
        JsonNode named = document.path("channel");
        if (channel != null && named.isTextual() && !named.asText().equals(channel.id())) {
            errors.add(FieldError.of("/channel", "names channel '" + named.asText() + "' but the document came from '"
                    + channel.id() + "'"));
        }
        List<LineChange> changes = new ArrayList<>();
        JsonNode lines = document.path("lines");
        if (!lines.isArray() || lines.isEmpty()) {
            errors.add(FieldError.of("/lines", "must list the lines to add, change or delete"));
        } else {
            for (int i = 0; i < lines.size(); i++) {
                LineChange c = lineChange(lines.get(i), "/lines/" + i, errors);
                if (c != null) {
                    changes.add(c);
                }
            }
        }
        io.orderhub.order.HeaderChange header = io.orderhub.order.HeaderChange.read(document, errors);
        return new ChangeRequest(externalId.asText(), changes, header, errors);
    }

    /** The changed order checked as a submission would be (schema, business rules, intake checks). */
    private java.util.function.Function<CanonicalOrder, List<String>> changedOrderProblems(Channel channel) {
        return changed -> {
            com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(changed);
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

    private static LineChange lineChange(JsonNode line, String at, List<FieldError> errors) {
        int before = errors.size();
        JsonNode no = line.path("lineNo");
        if (!no.canConvertToInt() || !no.isIntegralNumber() || no.asInt() < 1) {
            errors.add(FieldError.of(at + "/lineNo", "is required: the number of the line to add, change or delete"));
        }
        LineChange.Action action = null;
        try {
            action = LineChange.Action.valueOf(line.path("change").asText());
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(at + "/change", "is '" + line.path("change").asText() + "'; expected ADD, CHANGE or DELETE"));
        }
        java.math.BigDecimal quantity = decimal(line, "quantity", at, errors);
        if (quantity != null && quantity.signum() <= 0) {
            errors.add(FieldError.of(at + "/quantity", "must be greater than 0; delete the line to remove it"));
        }
        java.math.BigDecimal price = decimal(line, "unitPrice", at, errors);
        if (price != null && price.signum() < 0) {
            errors.add(FieldError.of(at + "/unitPrice", "must not be negative"));
        }
        if (action == LineChange.Action.ADD) {
            for (String field : List.of("sku", "quantity", "unitPrice")) {
                if (!line.hasNonNull(field)) {
                    errors.add(FieldError.of(at + "/" + field, "is required for a line to add"));
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new LineChange(action, no.asInt(), text(line, "sku"), text(line, "description"), quantity,
                text(line, "uom"), price, text(line, "buyerSku"));
    }

    private static java.math.BigDecimal decimal(JsonNode line, String field, String at, List<FieldError> errors) {
        JsonNode v = line.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            errors.add(FieldError.of(at + "/" + field, "must be a number"));
            return null;
        }
        return v.decimalValue();
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static OrderResult answer(MappedOrder mapped, OrderAmendments.Outcome outcome) {
        return switch (outcome.kind()) {
            case CANCELLED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.CANCELLED,
                    outcome.order().orderId(), outcome.order(), List.of());
            case REPLACED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.REPLACED,
                    outcome.order().orderId(), outcome.order(), List.of());
            case DUPLICATE -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.DUPLICATE,
                    outcome.order().orderId(), outcome.order(), List.of());
            // a refusal concerning a stored order keeps it (order, orderId) so the sender is told which order and 409
            case REFUSED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.REJECTED,
                    outcome.order() == null ? null : outcome.order().orderId(), outcome.order(),
                    List.of(FieldError.of("/purpose", outcome.reason())));
        };
    }

    /** Records the outcome on the receipt; a single rejected order refuses the whole request (422). */
    private Submission decide(String receiptId, String format, List<OrderResult> results,
                              FormatResult.Acknowledgement ack) {
        List<String> orderIds = results.stream().filter(r -> r.orderId() != null && r.status() != OrderResult.Outcome.REJECTED)
                .map(OrderResult::orderId).toList();
        List<FieldError> errors = new ArrayList<>();
        boolean many = results.size() > 1;
        for (OrderResult r : results) {
            for (FieldError e : r.errors()) {
                errors.add(many ? FieldError.of("order " + r.position() + (r.documentId() == null ? "" : " (" + r.documentId()
                        + ")") + " " + e.field(), e.message()) : e);
            }
        }
        ReceiptStatus status = results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.CREATED
                || r.status() == OrderResult.Outcome.CANCELLED || r.status() == OrderResult.Outcome.REPLACED)
                ? ReceiptStatus.ACCEPTED
                : results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.DUPLICATE) ? ReceiptStatus.DUPLICATE
                : ReceiptStatus.REJECTED;
        String documentId = results.size() == 1 ? results.get(0).documentId() : null;
        // a single new order has its receipt decided already, in the order's own transaction (process)
        if (many || results.get(0).status() != OrderResult.Outcome.CREATED) {
            receipts.decide(receiptId, status, format, documentId, orderIds, errors, ack);
        }
        if (!many && status == ReceiptStatus.REJECTED && results.get(0).order() != null) {
            // the document is valid but the order it names is past the point where it may change
            throw new DocumentRefused(Problem.CONFLICT, "the " + format + " document cannot act on order "
                    + results.get(0).orderId(), errors, results.get(0));
        }
        if (!many && status == ReceiptStatus.REJECTED) {
            throw new DocumentRefused(Problem.INVALID, "the order has " + errors.size()
                    + (errors.size() == 1 ? " problem" : " problems"), errors, results.get(0));
        }
        return new Submission(receiptId, format, results, ack);
    }

    private void allow(Channel channel, String format, String via) {
        if (!channel.allowsTransport(via)) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel",
                    "channel '" + channel.id() + "' may not send orders by " + via);
        }
        if (!channel.allowsFormat(format)) {
            throw OrderHubException.field(Problem.INVALID, "format",
                    "channel '" + channel.id() + "' may not send the " + format + " format; it allows " + channel.formats());
        }
    }

    private Channel channelOf(JsonNode document, Caller caller) {
        JsonNode named = document.path("channel");
        if (caller.role() == Role.CHANNEL) {
            if (named.isTextual() && !named.asText().equals(caller.channel())) {
                throw OrderHubException.field(Problem.FORBIDDEN, "/channel",
                        "your API key is bound to channel '" + caller.channel() + "' and may not submit for another");
            }
            return channels.require(caller.channel(), "channel");
        }
        if (!named.isTextual() || named.asText().isBlank()) {
            throw OrderHubException.field(Problem.INVALID, "/channel",
                    "is required when an " + caller.role() + " key submits an order");
        }
        String bad = io.orderhub.channel.ChannelIds.problem(named.asText());
        if (bad != null) {
            throw OrderHubException.field(Problem.INVALID, "/channel", bad);
        }
        return channels.find(named.asText()).orElseThrow(() -> OrderHubException.field(Problem.INVALID, "/channel",
                "channel " + io.orderhub.channel.ChannelIds.quoted(named.asText()) + " is not configured"));
    }

    private JsonNode parseCanonical(byte[] body) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty; send one order as a JSON object");
        }
        try {
            JsonNode node = CanonicalJsonFormat.parse(json, body);
            if (!node.isObject()) {
                throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object holding one order");
            }
            return node;
        } catch (FormatException e) {
            throw new OrderHubException(Problem.MALFORMED, e.getMessage(), e.errors());
        }
    }

    private CanonicalOrder bind(JsonNode document) {
        try {
            JsonNode content = document;
            if (document.has("purpose")) {
                content = document.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) content).remove("purpose");
            }
            return json.treeToValue(content, CanonicalOrder.class);
        } catch (JsonProcessingException e) {
            String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? pointer(m.getPath()) : "body";
            throw OrderHubException.field(Problem.INVALID, at, "does not fit the canonical order (wrong type or value)");
        }
    }

    private static String pointer(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : path) {
            b.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return b.toString();
    }

    /** Runs an intake step; a refusal is recorded on the receipt (if not already) before it is passed on. */
    <T> T recording(String receiptId, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (OrderHubException e) {
            receipts.rejectIfOpen(receiptId, e.errors().isEmpty() ? List.of(FieldError.of("", e.getMessage())) : e.errors());
            throw e;
        } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
            // a value the bounds let through but the arithmetic refuses: the sender's to fix, never left RECEIVED
            OrderHubException refused = OrderHubException.field(Problem.INVALID, "body",
                    "holds a value the hub cannot compute with (" + e.getClass().getSimpleName() + ")");
            receipts.rejectIfOpen(receiptId, refused.errors());
            throw refused;
        }
    }
}
