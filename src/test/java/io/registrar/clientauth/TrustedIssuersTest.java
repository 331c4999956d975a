package io.registrar.clientauth;

import io.registrar.support.TestPki;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PKIX check both the token endpoint and registration rely on, where PKIX alone would not look. */
class TrustedIssuersTest {

    static final TestPki PKI = new TestPki();

    @Test
    void aConfiguredCaThatHasExpiredNoLongerVouchesForCertificatesItIssued() {
        Instant now = Instant.now();
        // Valid for years; the test CAs expire after a year.
        TestPki.Issued fromRoot = PKI.client("CN=long-lived", PKI.root, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1000)));
        TestPki.Issued fromIntermediate = PKI.client("CN=long-lived-2", PKI.intermediate, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1000)));
        Clock today = Clock.systemUTC();
        Clock afterTheCasExpired = Clock.fixed(now.plus(Duration.ofDays(400)), ZoneOffset.UTC);
        for (List<java.security.cert.X509Certificate> anchors : List.of(List.of(PKI.root.cert()),
                List.of(PKI.root.cert(), PKI.intermediate.cert()))) {
            assertEquals(java.util.Optional.empty(), new TrustedIssuers(anchors, today).verify(new ClientCertificate(fromRoot.chain())));
            assertTrue(new TrustedIssuers(anchors, afterTheCasExpired).verify(new ClientCertificate(fromRoot.chain())).isPresent(),
                    "an expired anchor is a trust anchor no more");
        }
        assertEquals(java.util.Optional.empty(), new TrustedIssuers(List.of(PKI.intermediate.cert()), today)
                .verify(new ClientCertificate(fromIntermediate.chain())));
        assertTrue(new TrustedIssuers(List.of(PKI.intermediate.cert()), afterTheCasExpired)
                .verify(new ClientCertificate(fromIntermediate.chain())).isPresent(), "an expired intermediate configured as an anchor");
    }
}
