package io.orderhub.ingest.mail;

import java.util.ArrayList;
import java.util.List;

import io.orderhub.channel.Channel;
import io.orderhub.ingest.TransportAnswer;
import jakarta.mail.Message;

/**
 * One order mail on its way through the mail intake's steps (routes/email-intake.camel.yaml): claimed by its
 * Message-ID, its sender checked, its documents read, each document stored and taken in, the outcomes collected for
 * the answer. A mail ingested before ({@link #claimed()} false) has nothing left to do but be marked read.
 */
public final class OrderMail {

    /** What became of one document of the mail (an attachment, the body, or the mail as a whole). */
    record Outcome(String name, TransportAnswer answer) {
    }

    final Message message;
    private final String messageId;
    private final String sender;
    private final boolean claimed;

    String subject = "";
    Channel channel;
    /** The sender is unknown or not proven: the mail is stored, REJECTED, and not answered (no backscatter). */
    boolean unanswered;
    List<MailContent.Document> documents = List.of();
    String[] receiptIds = new String[0];
    final List<String> notRead = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    OrderMail(Message message, String messageId, String sender, boolean claimed) {
        this.message = message;
        this.messageId = messageId;
        this.sender = sender;
        this.claimed = claimed;
    }

    /** The mail's Message-ID (or the digest that stands for a missing one). */
    public String messageId() {
        return messageId;
    }

    /** The From address; null when it is missing or unreadable. */
    String sender() {
        return sender;
    }

    /** True when this instance holds the mail's claim and ingests it now; false for a mail ingested before. */
    public boolean claimed() {
        return claimed;
    }

    /** The documents to take in, one receipt each (at most orderhub.mail.max-attachments). */
    public int documentCount() {
        return documents.size();
    }
}
