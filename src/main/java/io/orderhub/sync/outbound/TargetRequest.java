package io.orderhub.sync.outbound;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP call a target system should receive for an event: method, path below the target's base
 * URL, JSON body (may be null) and the idempotency key the target can dedupe a repeat by. {@code record} names the
 * partner's record the call writes when the target says (the CRM: {@code <type>/<externalIdField>/<id>}), else null.
 */
public record TargetRequest(String method, String path, JsonNode body, String idempotencyKey, String record) {

    /** A call that names no record (the ERP's). */
    public TargetRequest(String method, String path, JsonNode body, String idempotencyKey) {
        this(method, path, body, idempotencyKey, null);
    }

    /** The record's type, the part of {@link #record} before its first '/', or null. */
    public String recordType() {
        if (record == null) {
            return null;
        }
        int slash = record.indexOf('/');
        return slash < 0 ? record : record.substring(0, slash);
    }
}
