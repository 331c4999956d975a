package io.registrar.store;

import java.time.Instant;

/** One audited change of a dynamic client's status: who revoked or re-enabled it, when and why. */
public record StatusChange(String clientId, ClientStatus status, String actor, String reason, Instant changedAt) {
}
