package io.orderhub.order;

/** A stage refuses a document's replacement of an order; the message is the reason given to the sender. */
public class RevisionRefused extends RuntimeException {

    public RevisionRefused(String reason) {
        super(reason, null, false, false);
    }
}
