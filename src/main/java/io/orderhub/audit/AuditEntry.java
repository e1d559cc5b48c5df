package io.orderhub.audit;

import java.time.Instant;

/** One privileged action: who (API key id and role), what, on which object, and the state before and after. */
public record AuditEntry(long id, Instant at, String actor, String role, String action, String target,
                         String before, String after, String detail) {
}
