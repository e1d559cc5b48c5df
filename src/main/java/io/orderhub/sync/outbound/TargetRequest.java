package io.orderhub.sync.outbound;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP call a target system should receive for an event: method, path below the target's base
 * URL, JSON body (may be null) and the idempotency key the target can dedupe a repeat by.
 */
public record TargetRequest(String method, String path, JsonNode body, String idempotencyKey) {
}
