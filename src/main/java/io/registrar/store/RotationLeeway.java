package io.registrar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a rotation keeps for its leeway (issue 21 §2): the credential it replaced, stored as a hash,
 * until when that one is still answered, and the response the rotation gave — the new credentials —
 * encrypted ({@code crypto.SecretBox}), so that the same request made again, after its response was
 * lost, gets the same answer instead of a dead credential.
 */
public record RotationLeeway(String previousHash, Instant until, String pendingResponse) {
    public RotationLeeway {
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(pendingResponse, "pendingResponse");
    }

    /** Whether {@code now} is still within the leeway. */
    public boolean openAt(Instant now) {
        return now.isBefore(until);
    }
}
