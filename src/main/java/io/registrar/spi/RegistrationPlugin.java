package io.registrar.spi;

/**
 * Custom pre-processing of a registration or update (see the {@linkplain io.registrar.spi package
 * documentation} for the full contract). Example:
 * <pre>{@code
 * public final class RequireHttpsLogos implements RegistrationPlugin {
 *     public RegistrationDecision apply(RegistrationInput input) {
 *         if (input.metadata().get("logo_uri") instanceof String logo && !logo.startsWith("https://")) {
 *             return RegistrationDecision.accept().drop("logo_uri");
 *         }
 *         return RegistrationDecision.accept();
 *     }
 * }
 * }</pre>
 */
public interface RegistrationPlugin {

    /** A short name for the server's log; the class name unless overridden. */
    default String name() {
        return getClass().getName();
    }

    /**
     * Decides on one registration or update.
     *
     * @param input what is being registered, by whom; immutable
     * @return {@link RegistrationDecision#accept()} (possibly with changes) or
     * {@link RegistrationDecision#reject}; never null
     */
    RegistrationDecision apply(RegistrationInput input);
}
