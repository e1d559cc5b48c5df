package io.orderhub.security.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.common.CardNumbers;
import org.apache.camel.Message;

/**
 * Cuts card numbers out of a message the hub moves to a dead letter queue: its body (text, bytes or a
 * map's values) and its string headers, so a dead letter queue never holds one, whatever a sender put
 * in a message the hub could not take.
 */
public final class DeadLetterRedaction {

    private DeadLetterRedaction() {
    }

    public static void redact(Message message) {
        Object body = message.getBody();
        if (body instanceof String s) {
            message.setBody(CardNumbers.redact(s));
        } else if (body instanceof byte[] b) {
            message.setBody(CardNumbers.redact(b));
        } else if (body instanceof Map<?, ?> map) {
            Map<Object, Object> clean = new LinkedHashMap<>();
            map.forEach((k, v) -> clean.put(k, v instanceof String s ? CardNumbers.redact(s) : v));
            message.setBody(clean);
        }
        for (Map.Entry<String, Object> h : message.getHeaders().entrySet()) {
            if (h.getValue() instanceof String s && CardNumbers.contains(s)) {
                h.setValue(CardNumbers.redact(s));
            }
        }
    }
}
