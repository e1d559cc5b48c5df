package io.orderhub.ingest;

import java.util.List;

import io.orderhub.channel.Channel;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatResult;
import io.orderhub.security.Caller;

/**
 * One stored document on its way through the intake's steps (recognise, map, validate, create), as objects: the
 * steps of a route pass it on (an exchange property) instead of text, so nothing is parsed or written twice.
 * Once a step has decided the document (refused it, or found it decided by an earlier attempt), the later steps
 * leave it as it is and the answer reads the outcome from the receipt. A REST request's document
 * ({@link #refusalsThrown()}) is refused by throwing the refusal instead: its answer is the problem document.
 */
public final class DocumentIntake {

    private final String receiptId;
    private final String channelId;
    private final String formatHint;
    private final String contentType;
    private final byte[] body;
    private final Caller caller;
    private final String via;

    Channel channel;
    DocumentFormat format;
    String formatId;
    String mapping;
    FormatResult read;
    List<PreparedOrder> prepared;
    boolean creating;
    boolean refusalsThrown;

    private boolean decided;
    private List<OrderResult> results = List.of();
    private Submission submission;
    private TransportAnswer earlier;

    public DocumentIntake(String receiptId, String channelId, String formatHint, String contentType, byte[] body,
                          Caller caller, String via) {
        this.receiptId = receiptId;
        this.channelId = channelId;
        this.formatHint = formatHint;
        this.contentType = contentType;
        this.body = body;
        this.caller = caller;
        this.via = via;
    }

    public String receiptId() {
        return receiptId;
    }

    String channelId() {
        return channelId;
    }

    String formatHint() {
        return formatHint;
    }

    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body;
    }

    Caller caller() {
        return caller;
    }

    String via() {
        return via;
    }

    /** The format recognised (or named by the sender), null before the recognise step. */
    public String formatId() {
        return formatId;
    }

    /** The file under mappings/ the map step uses unless a route names another; null for a format without one. */
    public String mapping() {
        return mapping;
    }

    /** True once the document's outcome is on its receipt and the remaining steps have nothing to do. */
    public boolean decided() {
        return decided;
    }

    /** The outcome of each order of the document, as far as the steps got. */
    public List<OrderResult> results() {
        return results;
    }

    /** The create step's outcome (receipt, format, each order's result, acknowledgement); null before it. */
    public Submission submission() {
        return submission;
    }

    /** True for a REST request's document: a step's refusal is thrown on (the answer is a problem document). */
    boolean refusalsThrown() {
        return refusalsThrown;
    }

    /** An earlier attempt's answer, when this delivery found the document decided already; otherwise null. */
    TransportAnswer earlier() {
        return earlier;
    }

    /** The channel the transport named or proved (null when none). */
    public String channelName() {
        return channelId;
    }

    /** The document's bytes as received. */
    public byte[] content() {
        return body;
    }

    /**
     * Another step took the document and recorded its outcome on the receipt (a partner's functional
     * acknowledgement, io.orderhub.outbound.camel.AcknowledgementIntake): the order steps pass it by.
     */
    public void takenElsewhere() {
        decide(List.of());
    }

    void decide(List<OrderResult> outcome) {
        this.decided = true;
        this.results = List.copyOf(outcome);
    }

    void decide(Submission created) {
        decide(created.results());
        this.submission = created;
    }

    void decidedBefore(TransportAnswer answer) {
        this.decided = true;
        this.earlier = answer;
    }
}
