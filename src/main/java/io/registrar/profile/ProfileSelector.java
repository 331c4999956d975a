package io.registrar.profile;

import io.registrar.crypto.DistinguishedNames;
import io.registrar.policy.Registrant;

import javax.security.auth.x500.X500Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which security profile applies to a registration (issue 20 §6): the one attached to the way it came
 * in. A registration by certificate alone takes the profile of the registering certificate's issuer
 * when one is attached to it; a DCR token's takes the profile attached to the initial client the token
 * was issued to; otherwise the server's default profile, if any.
 */
public final class ProfileSelector {

    /** A profile attached to the CA that issued registering certificates (an RFC 4514 DN). */
    public record IssuerProfile(String issuerDn, Profile profile) {
    }

    private final Profile serverDefault;
    private final Map<String, Profile> byInitialClient;
    private final List<IssuerProfile> byIssuer;

    public ProfileSelector(Profile serverDefault, Map<String, Profile> byInitialClient, List<IssuerProfile> byIssuer) {
        this.serverDefault = serverDefault;
        this.byInitialClient = Map.copyOf(byInitialClient);
        this.byIssuer = List.copyOf(byIssuer);
    }

    public Optional<Profile> select(Registrant registrant) {
        if (registrant.kind() == Registrant.Kind.MUTUAL_TLS && registrant.certificate() != null) {
            X500Principal issuer = new X500Principal(registrant.certificate().issuerDn());
            for (IssuerProfile p : byIssuer) {
                if (DistinguishedNames.matches(p.issuerDn(), issuer)) {
                    return Optional.of(p.profile());
                }
            }
        } else if (registrant.kind() != Registrant.Kind.MUTUAL_TLS && registrant.subject() != null
                && byInitialClient.containsKey(registrant.subject())) {
            return Optional.of(byInitialClient.get(registrant.subject()));
        }
        return Optional.ofNullable(serverDefault);
    }

    /** The server's default profile, if one is set: discovery narrows what it advertises to it. */
    public Optional<Profile> serverDefault() {
        return Optional.ofNullable(serverDefault);
    }

    /** Where each profile is attached, for operators (GET /admin/profiles). */
    public Map<String, List<String>> attachments() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (serverDefault != null) {
            out.computeIfAbsent(serverDefault.name(), k -> new java.util.ArrayList<>()).add("server default (registration.profile)");
        }
        byInitialClient.forEach((client, p) -> out.computeIfAbsent(p.name(), k -> new java.util.ArrayList<>())
                .add("DCR tokens of initial client " + client));
        byIssuer.forEach(p -> out.computeIfAbsent(p.profile().name(), k -> new java.util.ArrayList<>())
                .add("registrations by certificates issued by " + p.issuerDn()));
        return out;
    }
}
