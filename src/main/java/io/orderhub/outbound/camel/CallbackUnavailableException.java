package io.orderhub.outbound.camel;

/**
 * A partner's callback did not take a document for now (5xx, 408, 425, 429): retried with backoff by
 * routes/b2b-outbound.camel.yaml (routeConfiguration partnerCallbackErrors), then the event waits on its queue.
 */
public class CallbackUnavailableException extends RuntimeException {

    public CallbackUnavailableException(String message) {
        super(message);
    }
}
