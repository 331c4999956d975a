package io.registrar.architecture;

import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house rules of the package layout (STYLE.md §2.1), written for a root package so that the same
 * rules run over the product and, in {@link ArchitectureTest}, over a fixture that breaks each one.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Packages by capability depend one way: no two capabilities reach each other, directly or around a loop. */
    static ArchRule acyclic(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** Only {@code http} knows the HTTP server (Javalin, Jetty's server side, servlets). */
    static ArchRule httpServerOnlyInHttp(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".http..", root + ".outbound..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .as("only " + root + ".http uses Javalin, Jetty or servlets (Jetty's client in outbound aside)")
                .because("the server library stays a local decision of the http package");
    }

    /** {@code outbound} uses Jetty's client and its utilities, never the server. */
    static ArchRule outboundUsesOnlyJettyClient(String root) {
        return noClasses().that().resideInAPackage(root + ".outbound..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..", "org.eclipse.jetty.server..",
                        "org.eclipse.jetty.ee10..", "org.eclipse.jetty.ee11..", "org.eclipse.jetty.http2.server..")
                .as(root + ".outbound uses Jetty's client, not its server");
    }

    /** Only {@code store.jdbc} knows SQL: JDBC, the pool, the migrations and the drivers. */
    static ArchRule sqlOnlyInStoreJdbc(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".store.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..",
                        "org.flywaydb..", "org.h2..", "org.postgresql..")
                .as("only " + root + ".store.jdbc uses JDBC, HikariCP, Flyway or a database driver");
    }

    /**
     * Only {@code outbound} fetches from other servers. The command line ({@code cli}) is a separate program
     * that calls this server's own admin API, so it may use the JDK's client.
     */
    static ArchRule httpClientOnlyInOutbound(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".outbound..", root + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty.client..", "java.net.http..")
                .as("only " + root + ".outbound uses an HTTP client (the cli aside, which calls our own admin API)");
    }

    /**
     * The plug-in interface ({@code spi}) is the deployers' stable API: it uses the JDK alone, so no
     * internal type (nor a library's) ever appears in a plug-in's signatures.
     */
    static ArchRule spiUsesOnlyTheJdk(String root) {
        return classes().that().resideInAPackage(root + ".spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".spi..", "java..")
                .as(root + ".spi depends on nothing but itself and the JDK")
                .because("plug-ins compile against it alone and must keep working across server versions");
    }

    /**
     * Bouncy Castle only where a start never goes: making certificates, reading the PEM key formats
     * older than PKCS#8, hashing a password at sign-in. Its jars are signed, and the JVM verifies a
     * signed jar when it first loads one of its classes: a few hundred milliseconds of every start
     * that touched it, on two cores.
     */
    static ArchRule bouncyCastleOffTheStartPath(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().doNotHaveFullyQualifiedName(root + ".crypto.CertificateMaker")
                .and().doNotHaveFullyQualifiedName(root + ".crypto.LegacyPemKeys")
                .and().doNotHaveFullyQualifiedName(root + ".crypto.PasswordHasher")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .as("only " + root + ".crypto's CertificateMaker, LegacyPemKeys and PasswordHasher use Bouncy Castle")
                .because("verifying its signed jars would cost every start that loads one of its classes");
    }

    static List<ArchRule> all(String root) {
        return List.of(acyclic(root), httpServerOnlyInHttp(root), outboundUsesOnlyJettyClient(root), sqlOnlyInStoreJdbc(root),
                httpClientOnlyInOutbound(root), spiUsesOnlyTheJdk(root),
                bouncyCastleOffTheStartPath(root));
    }
}
