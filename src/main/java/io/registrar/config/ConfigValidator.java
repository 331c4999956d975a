package io.registrar.config;

import io.registrar.oauth.Vocabulary;
import io.registrar.rules.RuleException;
import io.registrar.rules.RuleSet;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Start-up checks that go beyond types; every message names the key (node-oidc-provider's fail-fast style). */
final class ConfigValidator {

    /** Ways of authorising a registration that this build implements. */
    static final Set<String> REGISTRATION_AUTHORIZATIONS = Set.of("client_authenticates", "user_authenticates", "mutual_tls");
    /** Client authentication methods the token endpoint implements (RFC 6749 §2.3.1, RFC 7591 §2). */
    static final Set<String> AUTH_METHODS = Set.copyOf(Vocabulary.AUTH_METHODS);
    static final Set<String> STATIC_GRANT_TYPES = Set.copyOf(Vocabulary.GRANT_TYPES);
    private static final Set<String> SECRET_METHODS = Set.copyOf(Vocabulary.SECRET_METHODS);
    private static final Set<String> KEY_METHODS = Set.of("private_key_jwt", "self_signed_tls_client_auth");
    private static final Set<String> CERTIFICATE_METHODS = Set.copyOf(Vocabulary.CERTIFICATE_METHODS);
    static final Set<String> ID_TOKEN_ALGS = Set.copyOf(Vocabulary.ID_TOKEN_ALGS);
    static final Set<String> RESERVED_SCOPES = Set.of("dcr", "dcrm");

    private ConfigValidator() {
    }

    static void validate(RegistrarConfig c) {
        require(c.server() != null, "server", "is required");
        RegistrarConfig.Server s = c.server();
        require(s.port() >= 0 && s.port() <= 65535, "server.port", "must be between 0 and 65535");
        require(s.host() != null && !s.host().isBlank(), "server.host", "is required");
        require(s.maxRequestBytes() >= 1024, "server.maxRequestBytes", "must be at least 1024");
        positive(s.shutdownGrace(), "server.shutdownGrace");
        for (int i = 0; i < s.trustedProxies().size(); i++) {
            String proxy = String.valueOf(s.trustedProxies().get(i));
            require(proxy.matches("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?"), "server.trustedProxies[" + i + "]",
                    "'" + proxy + "' is not an IP address (proxies are named by address, never by host name)");
        }
        RegistrarConfig.Connections connections = s.connections();
        require(connections != null, "server.connections", "is required");
        positive(connections.requestTimeout(), "server.connections.requestTimeout");
        positive(connections.idleTimeout(), "server.connections.idleTimeout");
        require(connections.max() >= 1, "server.connections.max", "must be at least 1");
        require(connections.maxPerAddress() >= 0, "server.connections.maxPerAddress", "must be 0 (no limit) or more");
        require(s.tls() != null, "server.tls", "is required");
        String mode = s.tls().mode();
        require(Set.of("self-signed", "keystore", "pem", "off").contains(String.valueOf(mode)), "server.tls.mode",
                "must be self-signed, keystore, pem or off (off only behind a TLS-terminating proxy)");
        if ("keystore".equals(mode)) {
            require(notBlank(s.tls().keystorePath()), "server.tls.keystorePath", "is required when server.tls.mode is keystore");
        }
        if ("pem".equals(mode) || notBlank(s.tls().certificatePath()) || notBlank(s.tls().privateKeyPath())) {
            for (String key : List.of("certificatePath", "privateKeyPath")) {
                String file = "certificatePath".equals(key) ? s.tls().certificatePath() : s.tls().privateKeyPath();
                require(notBlank(file), "server.tls." + key, "is required when server.tls.mode is pem (or the other PEM file is set)");
                require(java.nio.file.Files.isReadable(java.nio.file.Path.of(file)), "server.tls." + key,
                        "'" + file + "' is not a readable file");
            }
        }
        require(s.tls().reloadInterval() != null && !s.tls().reloadInterval().isNegative(), "server.tls.reloadInterval",
                "must be 0 (never) or a positive duration");
        RegistrarConfig.Mtls mtls = s.mtls();
        require(mtls != null, "server.mtls", "is required");
        require(mtls.port() >= -1 && mtls.port() <= 65535, "server.mtls.port", "must be -1 (the main listener) or a port");
        if (mtls.enabled()) {
            require(mtls.port() >= 0 || s.tls().enabled() || notBlank(mtls.proxyHeader()), "server.mtls.port",
                    "is -1 (the main listener asks for certificates) but server.tls.mode is off; set a port for a TLS "
                            + "listener of its own, or server.mtls.proxyHeader behind a TLS-terminating proxy");
            require(mtls.port() != s.port() || mtls.port() == 0, "server.mtls.port", "must differ from server.port");
            for (int i = 0; i < mtls.trustedIssuers().size(); i++) {
                require(java.nio.file.Files.isReadable(java.nio.file.Path.of(mtls.trustedIssuers().get(i))),
                        "server.mtls.trustedIssuers[" + i + "]", "'" + mtls.trustedIssuers().get(i) + "' is not a readable file");
            }
            if (notBlank(mtls.proxyHeader())) {
                require(!s.trustedProxies().isEmpty(), "server.trustedProxies",
                        "must list the proxies whose " + mtls.proxyHeader() + " header is believed");
            }
        }
        if (notBlank(c.issuer())) {
            URI issuer = uri(c.issuer(), "issuer");
            // RFC 8414 §2: https, no query, no fragment. Plain http only where TLS is explicitly off.
            require("https".equals(issuer.getScheme()) || ("http".equals(issuer.getScheme()) && !s.tls().enabled()),
                    "issuer", "must be an https URL (http only with server.tls.mode: off)");
            require(issuer.getRawQuery() == null && issuer.getRawFragment() == null, "issuer", "must not have a query or fragment");
            require(issuer.getHost() != null, "issuer", "must have a host");
            // Endpoints are served at the root, so the issuer is scheme://host[:port] (no path).
            require(issuer.getRawPath() == null || issuer.getRawPath().isEmpty() || "/".equals(issuer.getRawPath()),
                    "issuer", "must not have a path");
        }

        require(c.storage() != null, "storage", "is required");
        require(notBlank(c.storage().dataDir()), "storage.dataDir", "is required");
        if (notBlank(c.storage().jdbcUrl())) {
            require(c.storage().jdbcUrl().startsWith("jdbc:h2:") || c.storage().jdbcUrl().startsWith("jdbc:postgresql:"),
                    "storage.jdbcUrl", "must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        // A writer thread (H2's group commit, PostgreSQL's batches) holds a connection for each batch;
        // requests need another to read meanwhile.
        require(c.storage().maxPoolSize() >= 2, "storage.maxPoolSize", "must be at least 2");
        require(RegistrarConfig.Storage.ACCESS_TOKEN_COMMITS.contains(c.storage().accessTokenCommit()), "storage.accessTokenCommit",
                "must be one of " + RegistrarConfig.Storage.ACCESS_TOKEN_COMMITS);
        // PostgreSQL's socketTimeout counts whole seconds.
        require(c.storage().queryTimeout() != null && c.storage().queryTimeout().toMillis() >= 1000, "storage.queryTimeout",
                "must be at least 1s");

        if (c.security() != null && notBlank(c.security().hashingKey())) {
            byte[] key = base64(c.security().hashingKey(), "security.hashingKey");
            require(key.length >= 32, "security.hashingKey", "must decode to at least 32 bytes");
        }
        if (c.security() != null && notBlank(c.security().secretEncryptionKey())) {
            byte[] key = base64(c.security().secretEncryptionKey(), "security.secretEncryptionKey");
            require(key.length == 16 || key.length == 24 || key.length == 32, "security.secretEncryptionKey",
                    "must decode to an AES key of 16, 24 or 32 bytes");
        }

        RegistrarConfig.Outbound o = c.outbound();
        require(o != null, "outbound", "is required");
        positive(o.connectTimeout(), "outbound.connectTimeout");
        positive(o.readTimeout(), "outbound.readTimeout");
        require(o.maxResponseBytes() >= 1024, "outbound.maxResponseBytes", "must be at least 1024");
        positive(o.jwksCacheLifetime(), "outbound.jwksCacheLifetime");
        cidrs(o.allowedAddresses(), "outbound.allowedAddresses");
        cidrs(o.deniedAddresses(), "outbound.deniedAddresses");
        require(Set.of("add", "replace").contains(String.valueOf(o.trustStoreMode())), "outbound.trustStoreMode",
                "must be add (besides the JDK's CAs) or replace (instead of them)");
        if (notBlank(o.trustStore())) {
            require(java.nio.file.Files.isReadable(java.nio.file.Path.of(o.trustStore())), "outbound.trustStore",
                    "'" + o.trustStore() + "' is not a readable file");
        } else {
            require(!"replace".equals(o.trustStoreMode()), "outbound.trustStoreMode",
                    "is replace but outbound.trustStore is empty: no https URL could be fetched");
        }
        require(o.jwksRefetchFloor() != null && !o.jwksRefetchFloor().isNegative(), "outbound.jwksRefetchFloor",
                "must be 0 or positive");

        RegistrarConfig.ClientAuth ca = c.clientAuth();
        require(ca != null, "clientAuth", "is required");
        positive(ca.maxAssertionLifetime(), "clientAuth.maxAssertionLifetime");
        require(ca.clockSkew() != null && !ca.clockSkew().isNegative(), "clientAuth.clockSkew", "must be 0 or positive");
        throttling(ca.secretThrottling(), "clientAuth.secretThrottling");

        require(c.tokens() != null, "tokens", "is required");
        positive(c.tokens().accessTokenLifetime(), "tokens.accessTokenLifetime");
        positive(c.tokens().initialTokenLifetime(), "tokens.initialTokenLifetime");
        positive(c.tokens().refreshTokenLifetime(), "tokens.refreshTokenLifetime");
        positive(c.tokens().idTokenLifetime(), "tokens.idTokenLifetime");
        positive(c.tokens().authorizationCodeLifetime(), "tokens.authorizationCodeLifetime");
        leeway(c.tokens().refreshTokenRotationLeeway(), c.tokens().refreshTokenLifetime(), "tokens.refreshTokenRotationLeeway",
                "tokens.refreshTokenLifetime");
        require(c.tokens().authorizationCodeLifetime().compareTo(Duration.ofMinutes(10)) <= 0, "tokens.authorizationCodeLifetime",
                "must be at most 10m (RFC 6749 §4.1.2)");

        RegistrarConfig.Par par = c.par();
        require(par != null, "par", "is required");
        positive(par.lifetime(), "par.lifetime");
        // RFC 9126 §2.2: "typically ... between 5 and 600 seconds"; FAPI 2.0 requires less than 600.
        require(par.lifetime().compareTo(Duration.ofMinutes(10)) < 0, "par.lifetime", "must be shorter than 10m (RFC 9126 §2.2)");

        RegistrarConfig.Login login = c.login();
        require(login != null, "login", "is required");
        positive(login.sessionLifetime(), "login.sessionLifetime");
        throttling(login.throttling(), "login.throttling");
        Set<String> usernames = new HashSet<>();
        for (int i = 0; i < c.users().size(); i++) {
            RegistrarConfig.User u = c.users().get(i);
            String key = "users[" + i + "]";
            require(u != null && notBlank(u.username()), key + ".username", "is required");
            require(u.username().length() <= 255 && u.username().strip().equals(u.username()), key + ".username",
                    "must be at most 255 characters without surrounding spaces");
            require(usernames.add(u.username().toLowerCase(java.util.Locale.ROOT)), key + ".username",
                    "'" + u.username() + "' is configured twice");
            require(u.password() != null && u.password().length() >= 8, key + ".password", "is required and must be at least 8 characters");
        }
        Set<String> templateIds = new HashSet<>();
        for (int i = 0; i < c.templates().size(); i++) {
            RegistrarConfig.Template t = c.templates().get(i);
            String key = "templates[" + i + "]";
            require(t != null && notBlank(t.id()), key + ".id", "is required");
            require(templateIds.add(t.id()), key + ".id", "'" + t.id() + "' is configured twice");
            if (t.accessTokenLifetime() != null) {
                positive(t.accessTokenLifetime(), key + ".accessTokenLifetime");
            }
            if (t.refreshTokenLifetime() != null) {
                positive(t.refreshTokenLifetime(), key + ".refreshTokenLifetime");
            }
        }

        RegistrarConfig.Registration r = c.registration();
        require(r != null, "registration", "is required");
        for (String a : r.authorization()) {
            require(REGISTRATION_AUTHORIZATIONS.contains(a), "registration.authorization",
                    "'" + a + "' is not supported; supported: " + REGISTRATION_AUTHORIZATIONS);
        }
        if (r.enabled()) {
            require(!r.authorization().isEmpty(), "registration.authorization", "must name at least one way when registration is enabled");
        }
        for (int i = 0; i < r.mutualTls().trustedIssuers().size(); i++) {
            String file = r.mutualTls().trustedIssuers().get(i);
            require(java.nio.file.Files.isReadable(java.nio.file.Path.of(file)), "registration.mutualTls.trustedIssuers[" + i + "]",
                    "'" + file + "' is not a readable file");
        }
        if (r.authorization().contains("mutual_tls")) {
            require(c.server().mtls().enabled(), "registration.authorization",
                    "names mutual_tls, which needs client certificates: set server.mtls.enabled: true");
            require(!r.mutualTls().trustedIssuers().isEmpty(), "registration.mutualTls.trustedIssuers",
                    "must name at least one PEM file of trusted registration issuers when registration.authorization has mutual_tls");
        }
        require(r.initialTokenUses() >= 0, "registration.initialTokenUses", "must be 0 (unlimited until expiry) or a positive count");
        require(!r.authMethods().isEmpty(), "registration.authMethods", "must not be empty");
        for (String m : r.authMethods()) {
            require(AUTH_METHODS.contains(m), "registration.authMethods", "'" + m + "' is not supported; supported: " + AUTH_METHODS);
        }
        for (String scope : r.allowedScopes()) {
            require(!RESERVED_SCOPES.contains(scope), "registration.allowedScopes",
                    "must not contain '" + scope + "': it is granted only to configured static clients");
            require(scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"), "registration.allowedScopes", "'" + scope + "' is not a valid scope token (RFC 6749 §3.3)");
        }
        for (String scope : r.defaultScopes()) {
            require(!RESERVED_SCOPES.contains(scope), "registration.defaultScope",
                    "must not contain '" + scope + "': it is granted only to configured static clients");
            require(scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"), "registration.defaultScope",
                    "'" + scope + "' is not a valid scope token (RFC 6749 §3.3)");
        }
        require(r.clientSecretLifetime() != null && !r.clientSecretLifetime().isNegative(),
                "registration.clientSecretLifetime", "must be 0 (never expires) or positive");
        if (r.overrides() != null) {
            String forced = r.overrides().tokenEndpointAuthMethod();
            if (notBlank(forced)) {
                require(r.authMethods().contains(forced), "registration.overrides.tokenEndpointAuthMethod",
                        "must be one of registration.authMethods " + r.authMethods());
            }
            String alg = r.overrides().idTokenSignedResponseAlg();
            if (notBlank(alg)) {
                require(ID_TOKEN_ALGS.contains(alg), "registration.overrides.idTokenSignedResponseAlg", "must be one of " + ID_TOKEN_ALGS);
            }
        }
        preProcessing(c);

        softwareStatements(r.softwareStatements(), c.outbound());

        RegistrarConfig.Management m = c.management();
        require(m != null, "management", "is required");
        positive(m.tokenLifetime(), "management.tokenLifetime");
        positive(m.deleteTokenLifetime(), "management.deleteTokenLifetime");
        require(m.deleteTokenLifetime().compareTo(m.tokenLifetime()) >= 0, "management.deleteTokenLifetime",
                "must not be shorter than management.tokenLifetime");
        leeway(m.rotationLeeway(), m.tokenLifetime(), "management.rotationLeeway", "management.tokenLifetime");
        require(Set.of("off", "required").contains(m.certificateBinding()), "management.certificateBinding",
                "must be off or required, not '" + m.certificateBinding() + "'");

        Set<String> ids = new HashSet<>();
        List<RegistrarConfig.StaticClient> clients = c.staticClients();
        for (int i = 0; i < clients.size(); i++) {
            RegistrarConfig.StaticClient sc = clients.get(i);
            String key = "staticClients[" + i + "]";
            require(sc != null, key, "must not be empty");
            require(notBlank(sc.clientId()), key + ".clientId", "is required");
            require(ids.add(sc.clientId()), key + ".clientId", "'" + sc.clientId() + "' is configured twice");
            require(AUTH_METHODS.contains(String.valueOf(sc.authMethod())), key + ".authMethod",
                    "must be one of " + AUTH_METHODS);
            if (SECRET_METHODS.contains(sc.authMethod())) {
                require(notBlank(sc.clientSecret()) && sc.clientSecret().length() >= 16, key + ".clientSecret",
                        "is required and must be at least 16 characters");
            }
            if ("client_secret_jwt".equals(sc.authMethod())) {
                // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
                require(sc.clientSecret().length() >= 32, key + ".clientSecret", "must be at least 32 characters for client_secret_jwt");
            }
            if (KEY_METHODS.contains(sc.authMethod())) {
                require(sc.jwks() == null ^ !notBlank(sc.jwksUri()), key + ".jwks",
                        "exactly one of jwks and jwksUri is required for " + sc.authMethod());
            }
            if ("tls_client_auth".equals(sc.authMethod())) {
                long subjects = java.util.stream.Stream.of(sc.tlsClientAuthSubjectDn(), sc.tlsClientAuthSanDns(),
                        sc.tlsClientAuthSanUri(), sc.tlsClientAuthSanIp(), sc.tlsClientAuthSanEmail())
                        .filter(ConfigValidator::notBlank).count();
                require(subjects == 1, key + ".tlsClientAuthSubjectDn",
                        "tls_client_auth needs exactly one of tlsClientAuthSubjectDn and the tlsClientAuthSan* keys (RFC 8705 §2.1.2)");
            }
            if (CERTIFICATE_METHODS.contains(sc.authMethod()) || sc.certificateBoundAccessTokens()) {
                require(s.mtls().enabled(), key + ".authMethod", "needs server.mtls.enabled: true");
            }
            require(!sc.grantTypes().isEmpty() && STATIC_GRANT_TYPES.containsAll(sc.grantTypes()), key + ".grantTypes",
                    "must be a non-empty list of " + STATIC_GRANT_TYPES);
            if ("none".equals(sc.authMethod())) {
                // RFC 6749 §4.4: client_credentials is for confidential clients only.
                require(!sc.grantTypes().contains("client_credentials"), key + ".grantTypes",
                        "client_credentials needs a confidential client; authMethod none is for code flow clients");
            }
            if (sc.grantTypes().contains("authorization_code")) {
                require(!sc.redirectUris().isEmpty(), key + ".redirectUris", "is required for the authorization_code grant");
            }
            if (sc.requirePushedAuthorizationRequests()) {
                require(sc.grantTypes().contains("authorization_code"), key + ".requirePushedAuthorizationRequests",
                        "applies only to a client with the authorization_code grant");
            }
            require(sc.applicationType() == null || Set.of("web", "native").contains(sc.applicationType()),
                    key + ".applicationType", "must be web or native");
            for (String scope : sc.scopes()) {
                require(scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"), key + ".scopes", "'" + scope + "' is not a valid scope token");
            }
            RegistrarConfig.DcrToken dcr = sc.dcrToken();
            if (dcr.uses() != null || dcr.lifetime() != null || !dcr.templates().isEmpty()) {
                require(sc.scopes().contains("dcr"), key + ".dcrToken", "applies only to a client with scope dcr");
            }
            if (dcr.uses() != null) {
                require(dcr.uses() >= 0, key + ".dcrToken.uses", "must be 0 (unlimited until expiry) or a positive count");
            }
            if (dcr.lifetime() != null) {
                positive(dcr.lifetime(), key + ".dcrToken.lifetime");
            }
            Set<String> named = new HashSet<>();
            for (String t : dcr.templates()) {
                require(notBlank(t) && named.add(t), key + ".dcrToken.templates", "must list distinct template ids");
            }
            if (!dcr.templates().isEmpty()) {
                require(r.softwareIdSelectsTemplate(), key + ".dcrToken.templates",
                        "needs registration.softwareIdSelectsTemplate: true (software_id names the template)");
            }
        }
    }

    /** Every way of authorising a registration a statement setting may name (Registrant.Kind). */
    static final Set<String> STATEMENT_WAYS = Set.of("client_authenticates", "user_authenticates", "mutual_tls");
    /**
     * Signature algorithms a directory may be trusted with: asymmetric only. none proves nothing, and an
     * HMAC key would have to be shared with every party that verifies, so anyone of them could sign.
     */
    static final Set<String> STATEMENT_ALGS = Set.of("PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384",
            "RS512", "EdDSA");

    private static void softwareStatements(RegistrarConfig.SoftwareStatements st, RegistrarConfig.Outbound outbound) {
        String key = "registration.softwareStatements";
        require(st != null, key, "is required");
        positive(st.signedRequestMaxLifetime(), key + ".signedRequestMaxLifetime");
        Set<String> issuers = new HashSet<>();
        for (int i = 0; i < st.directories().size(); i++) {
            directory(st.directories().get(i), key + ".directories[" + i + "]", outbound, issuers);
        }
        st.byWay().forEach((way, settings) -> {
            String k = key + ".byWay." + way;
            require(STATEMENT_WAYS.contains(way), key + ".byWay", "names '" + way + "', which is not one of " + STATEMENT_WAYS);
            require(settings != null, k, "is required");
            require(RegistrarConfig.SoftwareStatements.USES.contains(settings.statements()), k + ".statements",
                    "must be one of " + RegistrarConfig.SoftwareStatements.USES);
            require(RegistrarConfig.SoftwareStatements.USES.contains(settings.signedRequests()), k + ".signedRequests",
                    "must be one of " + RegistrarConfig.SoftwareStatements.USES);
            // A signed request finds the keys that signed it through its statement.
            require(!("refused".equals(settings.statements()) && "required".equals(settings.signedRequests())), k + ".signedRequests",
                    "cannot be required while " + k + ".statements is refused: a signed request carries a software statement");
            boolean needsDirectory = "required".equals(settings.statements()) || "required".equals(settings.signedRequests())
                    || settings.requiredOnUpdate();
            require(!needsDirectory || !st.directories().isEmpty(), k,
                    "requires software statements, but " + key + ".directories is empty");
        });
    }

    private static void publicKeysOnly(com.nimbusds.jose.jwk.JWKSet set, String key) {
        require(!set.getKeys().isEmpty(), key, "has no keys");
        for (var k : set.getKeys()) {
            require(!k.isPrivate(), key, "must hold public keys only; key '" + k.getKeyID() + "' is private");
        }
    }

    private static void directory(RegistrarConfig.Directory d, String key, RegistrarConfig.Outbound outbound, Set<String> issuers) {
        require(d != null, key, "is required");
        require(notBlank(d.issuer()), key + ".issuer", "is required (the iss of the directory's statements)");
        require(issuers.add(d.issuer()), key + ".issuer", "'" + d.issuer() + "' is listed twice");
        int keySources = (notBlank(d.jwksUri()) ? 1 : 0) + (d.jwks() != null ? 1 : 0) + (notBlank(d.jwksFile()) ? 1 : 0);
        require(keySources == 1, key + ".jwksUri", "or " + key + ".jwks or " + key + ".jwksFile: exactly one of the three must be set");
        if (notBlank(d.jwksUri())) {
            URI u = uri(d.jwksUri(), key + ".jwksUri");
            require("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && outbound.allowHttp()), key + ".jwksUri",
                    "must be an https URL (http only with outbound.allowHttp)");
        } else if (d.jwks() != null) {
            try {
                publicKeysOnly(com.nimbusds.jose.jwk.JWKSet.parse(d.jwks()), key + ".jwks");
            } catch (java.text.ParseException e) {
                throw new ConfigException("configuration key '" + key + ".jwks' is not a JWK Set: " + e.getMessage(), key + ".jwks");
            }
        } else {
            try {
                publicKeysOnly(com.nimbusds.jose.jwk.JWKSet.load(new java.io.File(d.jwksFile())), key + ".jwksFile");
            } catch (java.io.IOException | java.text.ParseException e) {
                throw new ConfigException("configuration key '" + key + ".jwksFile': cannot read a JWK Set from '" + d.jwksFile() + "': "
                        + e.getMessage(), key + ".jwksFile");
            }
        }
        require(!d.algorithms().isEmpty(), key + ".algorithms", "must not be empty");
        for (String alg : d.algorithms()) {
            require(STATEMENT_ALGS.contains(alg), key + ".algorithms", "'" + alg + "' is not accepted for software statements"
                    + (alg.equalsIgnoreCase("none") || alg.toUpperCase(java.util.Locale.ROOT).startsWith("HS")
                    ? " (none and HMAC prove nothing about who signed)" : "") + "; one of " + new java.util.TreeSet<>(STATEMENT_ALGS));
        }
        require(!d.maxAge().isNegative(), key + ".maxAge", "must be 0 (any age) or a positive duration");
        require(!d.clockSkew().isNegative(), key + ".clockSkew", "must be 0 or a positive duration");
        positive(d.jwksCacheLifetime(), key + ".jwksCacheLifetime");
        if (notBlank(d.trustStore())) {
            require(java.nio.file.Files.isReadable(java.nio.file.Path.of(d.trustStore())), key + ".trustStore",
                    "'" + d.trustStore() + "' is not a readable file");
        }
        d.roleScopes().forEach((role, scopes) -> {
            require(scopes != null && !scopes.isEmpty(), key + ".roleScopes." + role, "must list at least one scope");
            for (String scope : scopes) {
                require(!RESERVED_SCOPES.contains(scope), key + ".roleScopes." + role, "must not allow " + scope);
            }
        });
        d.approval().claimContainsAny().forEach((claim, values) ->
                require(values != null && !values.isEmpty(), key + ".approval.claimContainsAny." + claim, "must list at least one value"));
        d.approval().claimEquals().forEach((claim, value) ->
                require(value != null, key + ".approval.claimEquals." + claim, "must have a value"));
    }

    /**
     * registration.rules compile (a bad rule names its index, its name and the key); plugins.directory
     * exists (its jars are checked when they are loaded, at start-up).
     */
    private static void preProcessing(RegistrarConfig c) {
        try {
            RuleSet.compile(c.registration().rules());
        } catch (RuleException e) {
            throw new ConfigException(e.getMessage(), e.key(), e);
        }
        String dir = c.plugins().directory();
        if (notBlank(dir)) {
            require(java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir)), "plugins.directory",
                    "'" + dir + "' is not a directory");
        }
    }

    private static void cidrs(List<String> ranges, String key) {
        for (int i = 0; i < ranges.size(); i++) {
            try {
                Cidr.parse(ranges.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("configuration key '" + key + "[" + i + "]' " + e.getMessage(), key + "[" + i + "]");
            }
        }
    }

    private static URI uri(String value, String key) {
        try {
            URI u = new URI(value);
            require(u.isAbsolute(), key, "must be an absolute URL");
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException("configuration key '" + key + "' is not a URL: " + e.getMessage(), key);
        }
    }

    private static byte[] base64(String value, String key) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key '" + key + "' must be base64", key);
        }
    }

    /** A rotation leeway: 0 (off), or positive and shorter than the lifetime of what it rotates. */
    private static void leeway(Duration d, Duration lifetime, String key, String lifetimeKey) {
        require(d != null && !d.isNegative(), key, "must be 0 (off) or a positive duration");
        require(d.compareTo(lifetime) < 0, key, "must be shorter than " + lifetimeKey);
    }

    /**
     * A throttle must hold something back: at least one free failure (a typo is not an attack), delays
     * that grow, and a window the delays fit in, or the per-subject ceiling would be the only bound.
     */
    private static void throttling(RegistrarConfig.Throttling t, String key) {
        require(t != null, key, "is required");
        require(t.freeFailures() >= 1, key + ".freeFailures", "must be at least 1");
        require(t.freeFailuresPerAddress() >= t.freeFailures(), key + ".freeFailuresPerAddress",
                "must be at least " + key + ".freeFailures");
        require(t.maxFailuresPerWindow() >= t.freeFailures(), key + ".maxFailuresPerWindow",
                "must be at least " + key + ".freeFailures");
        positive(t.firstDelay(), key + ".firstDelay");
        positive(t.maxDelay(), key + ".maxDelay");
        require(t.maxDelay().compareTo(t.firstDelay()) >= 0, key + ".maxDelay", "must not be shorter than " + key + ".firstDelay");
        positive(t.window(), key + ".window");
        require(t.window().compareTo(t.maxDelay()) >= 0, key + ".window", "must not be shorter than " + key + ".maxDelay");
    }

    private static void positive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "must be a positive duration");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException("configuration key '" + key + "' " + message, key);
        }
    }
}
