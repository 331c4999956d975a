package io.registrar.examples.plugin;

import io.registrar.spi.RegistrationDecision;
import io.registrar.spi.RegistrationError;
import io.registrar.spi.RegistrationInput;
import io.registrar.spi.RegistrationPlugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A partner programme's registration policy, on every registration and update:
 * <ul>
 *   <li>refuses a client without a contact e-mail address at the company's domain ({@code contacts},
 *       RFC 7591 §2), since someone at the company must answer for every partner client;</li>
 *   <li>names a client that sent no {@code client_name} after its software: the software statement's
 *       {@code software_client_name}, else its {@code software_id} (a directory's claims), else the
 *       request's own {@code software_id};</li>
 *   <li>links every client to the programme's terms of service ({@code tos_uri}), whatever it sent.</li>
 * </ul>
 * The domain and the terms come from {@code partner-policy.properties} in this jar.
 */
public final class PartnerPolicyPlugin implements RegistrationPlugin {

    private final String contactDomain;
    private final String termsOfService;

    public PartnerPolicyPlugin() {
        Properties p = new Properties();
        try (InputStream in = PartnerPolicyPlugin.class.getResourceAsStream("/partner-policy.properties")) {
            if (in == null) {
                throw new IllegalStateException("partner-policy.properties is missing from the plug-in's jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.contactDomain = p.getProperty("contact.domain").trim().toLowerCase(Locale.ROOT);
        this.termsOfService = p.getProperty("tos.uri").trim();
    }

    @Override
    public String name() {
        return "partner-policy";
    }

    @Override
    public RegistrationDecision apply(RegistrationInput input) {
        if (!hasCompanyContact(input.metadata().get("contacts"))) {
            return RegistrationDecision.reject(RegistrationError.INVALID_CLIENT_METADATA,
                    "contacts must include an e-mail address at " + contactDomain);
        }
        RegistrationDecision.Accept accept = RegistrationDecision.accept().withOverride("tos_uri", termsOfService);
        String name = firstString(input.statementClaims().get("software_client_name"), input.statementClaims().get("software_id"),
                input.metadata().get("software_id"));
        return name == null ? accept : accept.withDefault("client_name", name);
    }

    private boolean hasCompanyContact(Object contacts) {
        if (!(contacts instanceof List<?> list)) {
            return false;
        }
        return list.stream().anyMatch(c -> c instanceof String s && s.toLowerCase(Locale.ROOT).endsWith("@" + contactDomain));
    }

    private static String firstString(Object... candidates) {
        for (Object c : candidates) {
            if (c instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }
}
