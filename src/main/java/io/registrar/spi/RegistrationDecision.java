package io.registrar.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RegistrationPlugin}'s answer: {@link Accept} with changes to the metadata, or {@link Reject}.
 * Immutable; build one with {@link #accept()} and its {@code with...} / {@code drop} methods:
 * <pre>{@code
 * return RegistrationDecision.accept()
 *         .withDefault("client_name", "Partner app")                     // only when absent
 *         .withOverride("token_endpoint_auth_method", "private_key_jwt") // whatever was asked
 *         .drop("logo_uri");
 * }</pre>
 */
public sealed interface RegistrationDecision permits RegistrationDecision.Accept, RegistrationDecision.Reject {

    /** Accept the metadata as it is. */
    static Accept accept() {
        return new Accept(List.of());
    }

    /** Refuse the request; {@code description} is sent to the client as {@code error_description}. */
    static Reject reject(RegistrationError error, String description) {
        return new Reject(error, description);
    }

    /** A change to one metadata member, applied in the order given. */
    record Change(Kind kind, String member, Object value) {
        public enum Kind {
            /** Set the member only when it is absent. */
            DEFAULT,
            /** Set the member whatever it was. */
            OVERRIDE,
            /** Remove the member. */
            DROP
        }

        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(member, "member");
            if (kind != Kind.DROP) {
                Objects.requireNonNull(value, "value");
            }
        }
    }

    /** Accept, after applying {@code changes} in order. */
    record Accept(List<Change> changes) implements RegistrationDecision {
        public Accept {
            changes = List.copyOf(changes);
        }

        /** Sets {@code member} to {@code value} (a JSON value) unless the metadata has it. */
        public Accept withDefault(String member, Object value) {
            return plus(new Change(Change.Kind.DEFAULT, member, value));
        }

        /** Sets {@code member} to {@code value} (a JSON value), replacing what was there. */
        public Accept withOverride(String member, Object value) {
            return plus(new Change(Change.Kind.OVERRIDE, member, value));
        }

        /** Removes {@code member}. */
        public Accept drop(String member) {
            return plus(new Change(Change.Kind.DROP, member, null));
        }

        private Accept plus(Change change) {
            List<Change> more = new ArrayList<>(changes);
            more.add(change);
            return new Accept(more);
        }
    }

    /** Refuse with an RFC 7591 §3.2.2 error. */
    record Reject(RegistrationError error, String description) implements RegistrationDecision {
        public Reject {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(description, "description");
        }
    }
}
