package io.registrar.management;

import io.registrar.crypto.Secrets;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.MetadataValidator;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.registration.ClientInformation;
import io.registrar.registration.CredentialIssuer;
import io.registrar.registration.IssuedCredentials;
import io.registrar.policy.Registrant;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;
import io.registrar.token.AccessTokens;
import io.registrar.token.PresentedToken;
import io.registrar.token.TokenService;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * RFC 7592 client configuration: read, update, delete with the registration access token, or with
 * an admin token (scope dcrm) for any dynamic client. With rotation on (the default), every GET and
 * PUT made with a registration access token issues a new token and a new secret; the old ones stop
 * working in the same conditional UPDATE, so two concurrent requests with one token cannot both win.
 */
public final class ManagementService {

    /** RFC 7592 §2: the same answer for an unknown client and a bad token, so nothing leaks. */
    private static final String NOT_AUTHORIZED = "The registration access token is invalid, expired or not for this client";
    /** RFC 7592 §2.2: values the client may not set in an update. */
    private static final List<String> SERVER_MANAGED = List.of(Param.REGISTRATION_ACCESS_TOKEN,
            Param.REGISTRATION_CLIENT_URI, Param.CLIENT_SECRET_EXPIRES_AT, Param.CLIENT_ID_ISSUED_AT);

    private enum Operation { READ, UPDATE, DELETE }

    /** How the caller was authorised: its own registration access token, or an admin token. */
    private record Access(DynamicClient client, String presentedToken, boolean admin) {
    }

    private final ClientStore clients;
    private final AccessTokens accessTokens;
    private final Secrets secrets;
    private final CredentialIssuer credentials;
    private final RegistrationPolicy policies;
    private final MetadataValidator validator;
    private final Clock clock;
    private final boolean rotate;
    private final UnaryOperator<String> clientUri;

    public ManagementService(ClientStore clients, AccessTokens accessTokens, Secrets secrets, CredentialIssuer credentials,
                             RegistrationPolicy policies, MetadataValidator validator, Clock clock, boolean rotate,
                             UnaryOperator<String> clientUri) {
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.secrets = secrets;
        this.credentials = credentials;
        this.policies = policies;
        this.validator = validator;
        this.clock = clock;
        this.rotate = rotate;
        this.clientUri = clientUri;
    }

    /** RFC 7592 §2.1. */
    public Map<String, Object> read(String clientId, PresentedToken bearerToken) {
        Access access = authorize(clientId, bearerToken, Operation.READ);
        return store(access, access.client().metadata(), false);
    }

    /** RFC 7592 §2.2: the body replaces the metadata as a whole; omitted fields are removed or defaulted. */
    public Map<String, Object> update(String clientId, PresentedToken bearerToken, Map<String, Object> body) {
        Access access = authorize(clientId, bearerToken, Operation.UPDATE);
        DynamicClient current = access.client();
        if (!clientId.equals(body.get(Param.CLIENT_ID))) {
            throw OAuthException.invalidRequest("client_id in the body must match the client being updated");
        }
        for (String p : SERVER_MANAGED) {
            if (body.containsKey(p)) {
                throw OAuthException.invalidRequest(p + " is set by the server and must not be sent in an update");
            }
        }
        if (body.containsKey(Param.CLIENT_SECRET)) {
            Object sent = body.get(Param.CLIENT_SECRET);
            if (!(sent instanceof String s) || !secrets.matches(s, current.secretHash())) {
                throw OAuthException.invalidRequest("client_secret must match the currently issued secret");
            }
        }
        if (body.containsKey(Param.SOFTWARE_STATEMENT)) {
            throw OAuthException.of(io.registrar.oauth.OAuthError.INVALID_SOFTWARE_STATEMENT,
                    "Software statements are not accepted by this server");
        }
        Map<String, Object> metadataOnly = new LinkedHashMap<>(body);
        metadataOnly.remove(Param.CLIENT_ID);
        metadataOnly.remove(Param.CLIENT_SECRET);
        // Not in RFC 7592's list of what an update must not carry, and SDKs echo it back from the last
        // response with the rest of the metadata (Nimbus keeps it as a custom field): ignored, not refused.
        metadataOnly.remove(Param.REGISTRATION_ACCESS_TOKEN_EXPIRES_IN);
        ClientMetadata requested = MetadataJson.parse(metadataOnly);
        Registrant registrant = new Registrant(Registrant.Kind.fromDb(current.registrantKind()), current.registeredBy(),
                current.authenticatedUser(), null, null);
        ClientMetadata effective = policies.apply(new PolicyContext(io.registrar.policy.Operation.UPDATE, registrant), requested);
        if (current.template() != null) {
            // Templatized DCR: the template wins over whatever the update says.
            effective = io.registrar.metadata.TemplateOverlay.apply(effective, current.template().metadata());
        }
        validator.validate(effective);
        // A client that moves from "none" to a secret-based method needs a secret even without rotation,
        // and so does one that moves to client_secret_jwt: its old secret was only hashed.
        boolean needsNewSecret = (effective.usesSecret() && current.secretHash() == null)
                || (effective.secretMustBeReadable() && current.secretEncrypted() == null);
        return store(access, effective, needsNewSecret);
    }

    /** RFC 7592 §2.3: 204; the client, its secret and its tokens stop working. */
    public void delete(String clientId, PresentedToken bearerToken) {
        authorize(clientId, bearerToken, Operation.DELETE);
        if (!clients.delete(clientId)) {
            throw OAuthException.invalidToken(NOT_AUTHORIZED);
        }
    }

    /** Writes (possibly rotated) credentials and metadata with one conditional UPDATE, then answers. */
    private Map<String, Object> store(Access access, ClientMetadata metadata, boolean forceNewSecret) {
        DynamicClient current = access.client();
        Instant now = clock.instant();
        boolean rotating = rotate && !access.admin();
        boolean wantsSecret = metadata.usesSecret();
        CredentialIssuer.SecretKind kind = wantsSecret && (rotating || forceNewSecret)
                ? CredentialIssuer.kindFor(metadata) : CredentialIssuer.SecretKind.NONE;
        IssuedCredentials issued = credentials.issue(kind, current.clientId(), now);

        boolean fresh = issued.clientSecretHash() != null;
        String secretHash = !wantsSecret ? null : fresh ? issued.clientSecretHash() : current.secretHash();
        String secretEncrypted = !metadata.secretMustBeReadable() ? null : fresh ? issued.clientSecretEncrypted() : current.secretEncrypted();
        Instant secretExpiresAt = !wantsSecret ? null : fresh ? issued.clientSecretExpiresAt() : current.secretExpiresAt();
        DynamicClient updated = rotating
                ? current.withCredentials(metadata, secretHash, secretEncrypted, secretExpiresAt, issued.registrationTokenHash(),
                        issued.registrationTokenExpiresAt(), issued.registrationTokenDeleteExpiresAt(), now)
                : current.withCredentials(metadata, secretHash, secretEncrypted, secretExpiresAt, current.registrationTokenHash(),
                        current.registrationTokenExpiresAt(), current.registrationTokenDeleteExpiresAt(), now);
        boolean unchanged = updated.metadata().equals(current.metadata()) && !rotating && issued.clientSecret() == null;
        if (!unchanged) {
            String expected = access.admin() ? null : current.registrationTokenHash();
            if (!clients.update(updated, expected)) {
                // Another request with the same token rotated it first (or the client was deleted meanwhile).
                throw OAuthException.invalidToken(NOT_AUTHORIZED);
            }
        } else {
            updated = current;
        }
        String tokenToReturn = access.admin() ? null : rotating ? issued.registrationToken() : access.presentedToken();
        String secretToReturn = wantsSecret ? issued.clientSecret() : null;
        return ClientInformation.of(updated, secretToReturn, tokenToReturn, clientUri.apply(updated.clientId()), now);
    }

    private Access authorize(String clientId, PresentedToken bearerToken, Operation operation) {
        if (bearerToken.absent()) {
            throw OAuthException.tokenRequired();
        }
        Instant now = clock.instant();
        Optional<DynamicClient> found = clients.find(clientId);
        if (found.isPresent()) {
            DynamicClient c = found.get();
            if (secrets.matches(bearerToken.value(), c.registrationTokenHash())) {
                Instant expiry = operation == Operation.DELETE ? c.registrationTokenDeleteExpiresAt() : c.registrationTokenExpiresAt();
                if (c.active() && now.isBefore(expiry)) {
                    return new Access(c, bearerToken.value(), false);
                }
                throw OAuthException.invalidToken(NOT_AUTHORIZED);
            }
        }
        // Not this client's registration access token: perhaps an admin token (scope dcrm), good for
        // any dynamic client. Static clients are not in this store, so they cannot be managed here.
        boolean admin = accessTokens.usable(bearerToken.value(), bearerToken.certificateThumbprint())
                .map(t -> t.scopes().contains(TokenService.DCRM_SCOPE)).orElse(false);
        if (admin) {
            if (found.isPresent()) {
                return new Access(found.get(), bearerToken.value(), true);
            }
        } else {
            revokeIfIssuedForAnother(clientId, bearerToken.value(), now);
        }
        throw OAuthException.invalidToken(NOT_AUTHORIZED);
    }

    /**
     * RFC 7592 §2.1: a registration access token presented for a client that does not exist — an
     * unknown client_id, or any client but the one it was issued for — gets 401 and SHOULD be revoked
     * at once, so that a leaked token cannot probe further. Revoked means its client gets a token hash
     * no token has, expired now; the client itself, its secret and its access tokens keep working, and
     * an operator (dcrm) can still manage it. The answer is the same 401 whatever happened here.
     */
    private void revokeIfIssuedForAnother(String clientId, String presented, Instant now) {
        String owner = CredentialIssuer.clientOf(presented);
        if (owner == null || owner.equals(clientId)) {
            return;
        }
        clients.find(owner).filter(c -> secrets.matches(presented, c.registrationTokenHash())).ifPresent(c -> {
            String nobodysToken = secrets.hash(secrets.newSecret());
            // Conditional on the presented token still being current: if it rotated meanwhile, it is dead already.
            clients.update(c.withCredentials(c.metadata(), c.secretHash(), c.secretEncrypted(), c.secretExpiresAt(),
                    nobodysToken, now, now, now), c.registrationTokenHash());
        });
    }
}
