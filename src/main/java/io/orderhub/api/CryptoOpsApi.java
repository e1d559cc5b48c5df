package io.orderhub.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.crypto.KeyRotation;
import io.orderhub.audit.AuditLog;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of the key rotation ({@code POST /api/ops/crypto/rotate}, ADMIN, audited) and its state. */
@Component("cryptoOpsApi")
public class CryptoOpsApi {

    private final KeyRotation rotation;
    private final AuditLog audit;

    public CryptoOpsApi(KeyRotation rotation, AuditLog audit) {
        this.rotation = rotation;
        this.audit = audit;
    }

    public void rotate(Exchange exchange) {
        KeyRotation.Result r = rotation.rotate();
        long reencrypted = r.reencrypted().values().stream().mapToLong(Long::longValue).sum();
        long remaining = r.remaining().values().stream().mapToLong(Long::longValue).sum();
        audit.record(ApiExchange.caller(exchange), "crypto.rotate", "key:" + r.activeKey(), null,
                "reencrypted=" + reencrypted + " remaining=" + remaining, r.reencrypted().toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activeKey", r.activeKey());
        body.put("reencrypted", r.reencrypted());
        body.put("remaining", r.remaining());
        exchange.getMessage().setBody(body);
    }
}
