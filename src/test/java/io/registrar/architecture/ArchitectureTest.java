package io.registrar.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The package layout holds for the product, and each rule catches the violation it is written for. */
class ArchitectureTest {

    private static final String FIXTURE = "io.registrar.architecture.fixture";

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.registrar");

    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void packagesAreAcyclic() {
        ArchitectureRules.acyclic("io.registrar").check(PRODUCT);
    }

    @Test
    void onlyHttpKnowsTheServer() {
        ArchitectureRules.httpServerOnlyInHttp("io.registrar").check(PRODUCT);
        ArchitectureRules.outboundUsesOnlyJettyClient("io.registrar").check(PRODUCT);
    }

    @Test
    void onlyStoreJdbcKnowsSql() {
        ArchitectureRules.sqlOnlyInStoreJdbc("io.registrar").check(PRODUCT);
    }

    @Test
    void onlyOutboundFetches() {
        ArchitectureRules.httpClientOnlyInOutbound("io.registrar").check(PRODUCT);
    }

    @Test
    void thePluginInterfaceUsesOnlyTheJdk() {
        ArchitectureRules.spiUsesOnlyTheJdk("io.registrar").check(PRODUCT);
    }

    @Test
    void bouncyCastleStaysOffTheStartPath() {
        ArchitectureRules.bouncyCastleOffTheStartPath("io.registrar").check(PRODUCT);
    }

    @Test
    void bouncyCastleOnTheStartPathIsCaught() {
        assertViolation(ArchitectureRules::bouncyCastleOffTheStartPath, "fixture.crypto.EagerCertificate", "org.bouncycastle.asn1.x500.X500Name");
    }

    @Test
    void anInternalTypeInThePluginInterfaceIsCaught() {
        assertViolation(ArchitectureRules::spiUsesOnlyTheJdk, "fixture.spi.LeakyInput", "fixture.policy.Context");
    }

    @Test
    void aCycleIsCaught() {
        assertViolation(ArchitectureRules::acyclic, "fixture.policy.Context", "fixture.registration.Registrant");
    }

    @Test
    void javalinOutsideHttpIsCaught() {
        assertViolation(ArchitectureRules::httpServerOnlyInHttp, "fixture.token.ServerHandler", "io.javalin.http.Context");
    }

    @Test
    void jettyServerInOutboundIsCaught() {
        assertViolation(ArchitectureRules::outboundUsesOnlyJettyClient, "fixture.outbound.Fetcher", "org.eclipse.jetty.server.Server");
    }

    @Test
    void sqlOutsideStoreJdbcIsCaught() {
        assertViolation(ArchitectureRules::sqlOnlyInStoreJdbc, "fixture.token.SqlCounter", "java.sql.Connection");
    }

    @Test
    void anHttpClientOutsideOutboundIsCaught() {
        assertViolation(ArchitectureRules::httpClientOnlyInOutbound, "fixture.token.Fetching", "java.net.http.HttpClient");
    }

    private static void assertViolation(Function<String, ArchRule> rule, String culprit, String dependency) {
        EvaluationResult result = rule.apply(FIXTURE).evaluate(BROKEN);
        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation() && report.contains(culprit) && report.contains(dependency),
                "expected a violation by " + culprit + " on " + dependency + ", got: " + report);
    }
}
