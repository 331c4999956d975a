package io.registrar.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * The demo's stand-in for an ecosystem directory (an Open Banking or Open Finance directory, the CDR
 * Register), made once in the data folder so a user can try partner onboarding locally (issue 20 §7):
 * a certificate authority that issues the partners' client certificates ({@code demo-directory-ca.pem},
 * its key beside it) and a key that signs their software statements ({@code demo-directory-signing-key.json},
 * an EC P-256 JWK: ES256; its public half in {@code demo-directory-keys.json}, for the demo server). Files holding private keys are readable by the owner only. Never for
 * anything but a demo: whoever can read the data folder can act as the directory.
 */
public record DemoDirectory(Path caCertificateFile, Path caKeyFile, Path signingKeyFile, Path publicKeysFile) {

    /** The {@code iss} of its software statements. */
    public static final String ISSUER = "registrar-demo-directory";
    public static final String CA_NAME = "CN=Registrar Demo Directory CA,O=Registrar demo";

    public static DemoDirectory in(Path dataDir) {
        return new DemoDirectory(dataDir.resolve("demo-directory-ca.pem"), dataDir.resolve("demo-directory-ca-key.pem"),
                dataDir.resolve("demo-directory-signing-key.json"), dataDir.resolve("demo-directory-keys.json"));
    }

    /** The directory in {@code dataDir}, made there when it has none. */
    public static DemoDirectory ensure(Path dataDir) {
        DemoDirectory d = in(dataDir);
        if (Files.exists(d.caCertificateFile) && Files.exists(d.caKeyFile) && Files.exists(d.signingKeyFile)
                && Files.exists(d.publicKeysFile)) {
            return d;
        }
        try {
            Files.createDirectories(dataDir);
            KeyPair ca = CertificateMaker.ecKeyPair();
            X509Certificate caCert = CertificateMaker.certificateAuthority(CA_NAME, ca, Duration.ofDays(3650));
            ECKey signing = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            KeyFiles.write(d.caKeyFile, Pem.encode("PRIVATE KEY", ca.getPrivate().getEncoded()), true);
            KeyFiles.write(d.signingKeyFile, signing.toJSONString(), true);
            KeyFiles.write(d.publicKeysFile, new JWKSet(signing.toPublicJWK()).toString(), false);
            KeyFiles.write(d.caCertificateFile, Pem.encode("CERTIFICATE", caCert.getEncoded()), false);
            return d;
        } catch (GeneralSecurityException | JOSEException | IOException e) {
            throw new IllegalStateException("cannot make the demo directory in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The public half of the statement-signing key, as a trusted directory's inline JWK Set. */
    public JWKSet publicKeys() {
        return new JWKSet(signingKey().toPublicJWK());
    }

    /** A software statement (RFC 7591 §2.3) with {@code claims}, issued now and valid for {@code lifetime}. */
    public String signStatement(Map<String, Object> claims, Duration lifetime) {
        ECKey key = signingKey();
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(ISSUER).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(java.util.UUID.randomUUID().toString());
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                b.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the statement: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * A client certificate for {@code subjectDn}, issued by the directory's CA for TLS client
     * authentication and valid for a year: the certificate (PEM, then the CA's) and its key (PKCS#8).
     */
    public void issueCertificate(String subjectDn, Path certificateOut, Path keyOut) {
        try {
            X509Certificate caCert = caCertificate();
            PrivateKey caKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    Pem.blocks(Files.readString(caKeyFile, StandardCharsets.US_ASCII), "PRIVATE KEY").getFirst()));
            KeyPair leaf = CertificateMaker.ecKeyPair();
            X509Certificate cert = CertificateMaker.clientCertificate(caCert, caKey, subjectDn, leaf.getPublic(), Duration.ofDays(365));
            KeyFiles.write(keyOut, Pem.encode("PRIVATE KEY", leaf.getPrivate().getEncoded()), true);
            KeyFiles.write(certificateOut, Pem.encode("CERTIFICATE", cert.getEncoded()) + Pem.encode("CERTIFICATE", caCert.getEncoded()), false);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate from the demo directory: " + e.getMessage(), e);
        }
    }

    public X509Certificate caCertificate() throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(caCertificateFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private ECKey signingKey() {
        try {
            return ECKey.parse(Files.readString(signingKeyFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + signingKeyFile, e);
        } catch (ParseException e) {
            throw new IllegalStateException(signingKeyFile + " is not a JWK: " + e.getMessage(), e);
        }
    }
}
