package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example plug-in (examples/registration-plugin) as a deployer uses it: built by its own Maven
 * build against target/registrar-spi.jar, its jar dropped into plugins.directory, and the server
 * running it on registration (POST) and update (PUT): it refuses clients without a company contact,
 * defaults client_name from software_id and overrides tos_uri. Runs after package (failsafe), which
 * writes the SPI jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationPluginIT {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path EXAMPLE = ROOT.resolve("examples/registration-plugin");
    static final String TERMS = "https://example.com/partner-terms";

    TestServer server;
    TestHttp http;
    Path plugins;

    @BeforeAll
    void buildThePluginAndStartTheServer() throws Exception {
        assertTrue(Files.isRegularFile(ROOT.resolve("target/registrar-spi.jar")), "package writes target/registrar-spi.jar");
        Path log = Files.createTempFile("registration-plugin-build", ".log");
        // The example's own build, as its pom.xml tells a deployer to run it; with the JDK running this test.
        ProcessBuilder maven = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-q", "-B", "-f", EXAMPLE.resolve("pom.xml").toString(),
                "clean", "package")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process build = maven.start();
        assertTrue(build.waitFor(5, TimeUnit.MINUTES), "the example's build finishes");
        assertEquals(0, build.exitValue(), () -> "the example's build failed:\n" + read(log));
        Path jar = EXAMPLE.resolve("target/registration-plugin.jar");
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            assertTrue(zip.getEntry("META-INF/services/io.registrar.spi.RegistrationPlugin") != null, "the jar declares its plug-in");
            assertTrue(zip.getEntry("io/registrar/spi/RegistrationPlugin.class") == null, "the SPI is provided by the server, not bundled");
        }
        plugins = Files.createTempDirectory("registrar-plugins");
        Files.copy(jar, plugins.resolve("registration-plugin.jar"));
        // software_id is free-form here, so the plug-in can name clients after it.
        server = TestServer.start(TestDatabase.H2, "plugins:\n  directory: " + plugins + "\n"
                + "registration:\n  softwareIdSelectsTemplate: false\n");
        http = server.http;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thePluginRefusesAClientWithoutACompanyContact() {
        Response none = http.postJson("/register", http.dcrToken(), "{\"grant_types\":[\"client_credentials\"]}")
                .assertError(400, "invalid_client_metadata");
        assertEquals(Map.of("error", "invalid_client_metadata", "error_description", "contacts must include an e-mail address at example.com"),
                none.json());
        http.postJson("/register", http.dcrToken(), "{\"grant_types\":[\"client_credentials\"],\"contacts\":[\"ops@example.com.evil\"]}")
                .assertError(400, "invalid_client_metadata");
    }

    @Test
    void thePluginDefaultsAndOverridesOnRegistrationAndUpdate() {
        Map<String, Object> info = http.register("""
                {"grant_types":["client_credentials"],"contacts":["ops@partner.example","Ops@Example.com"],
                 "software_id":"com.partner.sync","tos_uri":"https://partner.example/our-terms"}""").json();
        assertEquals("com.partner.sync", info.get("client_name"), "defaulted from software_id");
        assertEquals(TERMS, info.get("tos_uri"), "overridden");
        String clientId = (String) info.get("client_id");
        String uri = (String) info.get("registration_client_uri");
        String rat = (String) info.get("registration_access_token");

        // PUT: refused without a company contact, and nothing changed (the same token still works) ...
        http.putJson(uri, rat, "{\"client_id\":\"" + clientId + "\",\"grant_types\":[\"client_credentials\"],\"contacts\":[\"ops@partner.example\"]}")
                .assertError(400, "invalid_client_metadata");
        // ... accepted with one: a name sent is kept (a default only fills a gap), the terms are forced again.
        Response put = http.putJson(uri, rat, """
                {"client_id":"%s","grant_types":["client_credentials"],"contacts":["dev@example.com"],
                 "software_id":"com.partner.sync","client_name":"Partner Sync","tos_uri":"https://partner.example/v2"}""".formatted(clientId));
        assertEquals(200, put.status(), put.body());
        assertEquals("Partner Sync", put.string("client_name"));
        assertEquals(TERMS, put.string("tos_uri"));
        assertEquals(List.of("dev@example.com"), put.json().get("contacts"));

        Response bare = http.putJson(uri, put.string("registration_access_token"), """
                {"client_id":"%s","grant_types":["client_credentials"],"contacts":["dev@example.com"]}""".formatted(clientId));
        assertEquals(200, bare.status(), bare.body());
        assertFalse(bare.json().containsKey("client_name"), "no software_id and no statement: nothing to name it after");
        assertEquals(TERMS, bare.string("tos_uri"));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
