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
    private final List<LineTranslation> translations;

    public OrderIntake(ReceiptStore receipts, ChannelRegistry channels, CanonicalOrderValidator validator,
                       OrderService orders, ObjectMapper json, FormatRegistry formats, MappingFiles mappings,
                       List<IntakeCheck> checks, List<LineTranslation> translations) {
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
        return recording(receiptId, () -> {
            Channel channel = channels.require(channelId, "channel");
            if (caller != null && !caller.maySee(channel.id())) {
                throw OrderHubException.field(Problem.FORBIDDEN, "channel", "your API key is bound to channel '"
                        + caller.channel() + "' and may not submit for '" + channel.id() + "'");
            }
            receipts.assignChannel(receiptId, channel.id());
            DocumentFormat format = formats.resolve(formatHint, body, contentType);
            allow(channel, format.id(), via);
            FormatResult read = format.read(body, new MappingContext(channel, mappings));
            if (read.orders().isEmpty()) {
                List<FieldError> errors = read.documentErrors().isEmpty()
                        ? List.of(FieldError.of("body", "holds no order")) : read.documentErrors();
                receipts.decide(receiptId, ReceiptStatus.REJECTED, format.id(), null, List.of(), errors,
                        read.acknowledgement());
                throw new OrderHubException(Problem.INVALID, "the " + format.id() + " document cannot be read", errors);
            }
            List<OrderResult> results = new ArrayList<>();
            boolean single = read.orders().size() == 1;
            for (MappedOrder mapped : read.orders()) {
                results.add(process(mapped, channel, format.id(), via, receiptId, read.acknowledgement(), single));
            }
            return decide(receiptId, format.id(), results, read.acknowledgement());
        });
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
        for (MappedOrder mapped : read.orders()) {
            List<FieldError> errors = new ArrayList<>();
            if (mapped.order() != null && mapped.order().path("lines").size() > validator.maxLines()) {
                errors.add(FieldError.of("/lines", "has " + mapped.order().path("lines").size()
                        + " lines; at most " + validator.maxLines() + " are accepted in one order"));
            }
            Checked checked = errors.isEmpty() ? check(mapped, channel) : new Checked(null, errors);
            errors = checked.errors();
            Preview.Outcome outcome;
            String existing = null;
            if (!errors.isEmpty() || !documentErrors.isEmpty()) {
                outcome = Preview.Outcome.REJECT;
            } else if (channel == null) {
                outcome = Preview.Outcome.VALID_WITHOUT_CHANNEL;
            } else {
                existing = orders(channel, checked.order());
                outcome = existing == null ? Preview.Outcome.CREATE : Preview.Outcome.DUPLICATE;
            }
            orders.add(new Preview.PreviewOrder(mapped.position(), mapped.documentId(),
                    errors.isEmpty() && mapped.order() != null, mapped.order(), errors, outcome, existing));
        }
        return new Preview(format.id(), documentErrors, orders, read.acknowledgement());
    }

    private String orders(Channel channel, CanonicalOrder order) {
        return orders.existing(channel.id(), order.externalId()).map(CanonicalOrder::orderId).orElse(null);
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
        if (new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains(io.orderhub.security.CardNumbers.REDACTED)) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " held a payment card number, which was removed; the sender must send the document again without it");
        }
        receipts.reopen(receipt.receiptId());
        return submitDocument(receipt.receiptId(), receipt.channel(), null, receipt.contentType(), body, null,
                receipt.via());
    }

    /**
     * Validates and creates one mapped order. For a document holding this one order ({@code single}), the
     * receipt's outcome (ACCEPTED, the order number) is written in the transaction that stores the order: the
     * database going away between two commits cannot leave an order whose receipt says nothing happened.
     */
    private OrderResult process(MappedOrder mapped, Channel channel, String format, String via, String receiptId,
                                FormatResult.Acknowledgement ack, boolean single) {
        if (mapped.order() != null && mapped.order().path("lines").size() > validator.maxLines()) {
            throw OrderHubException.field(Problem.TOO_LARGE, "/lines", "has " + mapped.order().path("lines").size()
                    + " lines; at most " + validator.maxLines() + " are accepted in one order");
        }
        Checked checked = check(mapped, channel);
        List<FieldError> errors = checked.errors();
        if (!errors.isEmpty()) {
            return new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.REJECTED, null, null, errors);
        }
        CanonicalOrder order = checked.order();
        OrderService.Creation creation = orders.create(order, channel.id(),
                new CanonicalOrder.Source(format, via, receiptId, mapped.documentId(), mapped.position()),
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

    /** Records the outcome on the receipt; a single rejected order refuses the whole request (422). */
    private Submission decide(String receiptId, String format, List<OrderResult> results,
                              FormatResult.Acknowledgement ack) {
        List<String> orderIds = results.stream().filter(r -> r.orderId() != null).map(OrderResult::orderId).toList();
        List<FieldError> errors = new ArrayList<>();
        boolean many = results.size() > 1;
        for (OrderResult r : results) {
            for (FieldError e : r.errors()) {
                errors.add(many ? FieldError.of("order " + r.position() + (r.documentId() == null ? "" : " (" + r.documentId()
                        + ")") + " " + e.field(), e.message()) : e);
            }
        }
        ReceiptStatus status = results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.CREATED)
                ? ReceiptStatus.ACCEPTED
                : results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.DUPLICATE) ? ReceiptStatus.DUPLICATE
                : ReceiptStatus.REJECTED;
        String documentId = results.size() == 1 ? results.get(0).documentId() : null;
        // a single new order has its receipt decided already, in the order's own transaction (process)
        if (many || results.get(0).status() != OrderResult.Outcome.CREATED) {
            receipts.decide(receiptId, status, format, documentId, orderIds, errors, ack);
        }
        if (!many && status == ReceiptStatus.REJECTED) {
            throw new OrderHubException(Problem.INVALID, "the order has " + errors.size()
                    + (errors.size() == 1 ? " problem" : " problems"), errors);
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
        return channels.find(named.asText()).orElseThrow(() -> OrderHubException.field(Problem.INVALID, "/channel",
                "channel '" + named.asText() + "' is not configured"));
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
            throw new OrderHubException(Problem.MALFORMED, e.getMessage(), List.of(e.error()));
        }
    }

    private CanonicalOrder bind(JsonNode document) {
        try {
            return json.treeToValue(document, CanonicalOrder.class);
        } catch (JsonProcessingException e) {
            throw OrderHubException.field(Problem.INVALID, "body", "does not fit the canonical order: " + e.getOriginalMessage());
        }
    }

    /** Runs an intake step; a refusal is recorded on the receipt (if not already) before it is passed on. */
    private Submission recording(String receiptId, java.util.function.Supplier<Submission> step) {
        try {
            return step.get();
        } catch (OrderHubException e) {
            receipts.rejectIfOpen(receiptId, e.errors().isEmpty() ? List.of(FieldError.of("", e.getMessage())) : e.errors());
            throw e;
        }
    }
}
