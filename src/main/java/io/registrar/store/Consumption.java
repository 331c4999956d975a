package io.registrar.store;

import java.util.Objects;

/**
 * What a registration uses up, taken in the same transaction as the client is stored: one use of a
 * counted DCR token (the seeds' tokens good for N registrations), or nothing (a token without a
 * count; later, a certificate or an open registration).
 */
public sealed interface Consumption {

    /** Nothing is used up. */
    Consumption NOTHING = new Nothing();

    record Nothing() implements Consumption {
    }

    /** One registration taken from the DCR token with this hash; the registration fails if none is left. */
    record DcrTokenUse(String tokenHash) implements Consumption {
        public DcrTokenUse {
            Objects.requireNonNull(tokenHash, "tokenHash");
        }
    }
}
