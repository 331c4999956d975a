package io.registrar.clientauth;

import java.time.Duration;
import java.util.List;

/**
 * What the DCR tokens of one configured initial or registration client allow: {@code uses}
 * registrations each (0: any number until expiry), a {@code lifetime}, and the {@code templates}
 * their registrations are made from (empty: any). Null values leave the server-wide setting.
 */
public record DcrTokenSettings(Integer uses, Duration lifetime, List<String> templates) {

    public static final DcrTokenSettings SERVER_DEFAULTS = new DcrTokenSettings(null, null, List.of());

    public DcrTokenSettings {
        templates = templates == null ? List.of() : List.copyOf(templates);
    }
}
