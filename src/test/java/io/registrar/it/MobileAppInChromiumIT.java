package io.registrar.it;

import com.sun.net.httpserver.HttpServer;
import io.registrar.cli.Main;
import io.registrar.support.MobileApp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3 §6, as a user would live it: headless Chromium (Debian's chromium, driven through its
 * chromium-driver by Selenium; no browser download) plays the mobile app's browser tab, the test plays
 * the app. The app listens on a loopback port for its redirect (RFC 8252 §7.3), as AppAuth does on a
 * desktop. Sign in for the DCR token, register from the template, sign in again silently through SSO,
 * use the per-instance secret, refresh, the operator revokes the client with {@code registrar clients},
 * and the next refresh fails. The login page's screenshot is kept at target/e2e/login-page.png.
 */
class MobileAppInChromiumIT {

    static final Path CHROMIUM = Path.of(System.getProperty("registrar.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("registrar.chromedriver", "/usr/bin/chromedriver"));

    @Test
    void theMobileAppStoryInARealBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        // ./registrar test installs chromium and chromium-driver where it can (CI) and then requires this test.
        if ("required".equals(System.getenv("REGISTRAR_E2E"))) {
            assertTrue(present, "REGISTRAR_E2E=required but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
        Assumptions.assumeTrue(present, "Chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");

        BlockingQueue<Map<String, String>> callbacks = new LinkedBlockingQueue<>();
        HttpServer app = loopbackApp(callbacks);
        Path profile = Files.createTempDirectory("registrar-chromium");
        WebDriver browser = null;
        try (TestServer server = TestServer.start(TestDatabase.H2, TestServer.MOBILE, "server:\n  tls:\n    mode: self-signed\n")) {
            TestHttp http = server.http;
            String redirectUri = "http://127.0.0.1:" + app.getAddress().getPort() + "/callback";
            browser = chromium(profile);

            // 1. First run: the user signs in through the registration client for a DCR token.
            MobileApp registration = new MobileApp(TestServer.MOBILE_DCR_CLIENT, redirectUri);
            browser.get(server.issuer() + registration.authorizePath("dcr"));
            assertEquals("Sign in · Registrar", browser.getTitle());
            Path shot = Path.of("target", "e2e", "login-page.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.findElement(By.id("username")).sendKeys("alice");
            browser.findElement(By.id("password")).sendKeys("alice-password-1");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            Map<String, String> back = next(callbacks);
            assertEquals(registration.state, back.get("state"));
            Response dcr = http.postForm("/token", registration.codeForm(back.get("code"), true));
            assertEquals(200, dcr.status(), dcr.body());

            // 2. The app registers its own instance from the template.
            Response registered = http.postJson("/register", dcr.string("access_token"),
                    "{\"software_id\":\"" + TestServer.TEMPLATE + "\",\"software_version\":\"1.0\"}");
            assertEquals(201, registered.status(), registered.body());
            String clientId = registered.string("client_id");
            String secret = registered.string("client_secret");
            assertNotNull(registered.string("authenticated_user"));

            // 3. The instance's own sign-in completes without the login page (SSO).
            MobileApp instance = new MobileApp(clientId, redirectUri);
            browser.get(server.issuer() + instance.authorizePath("openid profile"));
            Map<String, String> silent = next(callbacks);
            assertEquals(instance.state, silent.get("state"));
            assertTrue(browser.getCurrentUrl().startsWith(redirectUri), browser.getCurrentUrl());
            assertFalse(browser.getPageSource().contains("name=\"password\""), "the password was not asked again");

            // 4. Tokens with the per-instance secret; a refresh works.
            Response tokens = http.postFormBasic("/token", clientId, secret, instance.codeForm(silent.get("code"), false));
            assertEquals(200, tokens.status(), tokens.body());
            assertNotNull(tokens.string("id_token"));
            Response refreshed = refresh(http, clientId, secret, tokens.string("refresh_token"));
            assertEquals(200, refreshed.status(), refreshed.body());

            // 5. The operator finds alice's device and revokes it with the command-line tool.
            String listed = cli(server, "list", "--user", "alice");
            assertTrue(listed.contains(clientId), listed);
            String revoked = cli(server, "revoke", clientId, "--reason", "device reported stolen");
            assertTrue(revoked.contains("revoked " + clientId), revoked);

            // 6. The next refresh fails: the client can no longer authenticate.
            refresh(http, clientId, secret, refreshed.string("refresh_token")).assertError(401, "invalid_client");
            assertEquals(false, http.introspect(refreshed.string("access_token")).json().get("active"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            app.stop(0);
        }
    }

    private static String cli(TestServer server, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of("clients"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--server", server.issuer()));
        int code = Main.run((demo, file) -> server.config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv.toArray(String[]::new));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Response refresh(TestHttp http, String clientId, String secret, String refreshToken) {
        return http.postFormBasic("/token", clientId, secret, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private static Map<String, String> next(BlockingQueue<Map<String, String>> callbacks) throws InterruptedException {
        Map<String, String> r = callbacks.poll(30, TimeUnit.SECONDS);
        assertNotNull(r, "the browser never reached the app's redirect URI");
        assertFalse(r.containsKey("error"), () -> "authorization error: " + r);
        return r;
    }

    /** The app's loopback redirect listener (RFC 8252 §7.3). */
    private static HttpServer loopbackApp(BlockingQueue<Map<String, String>> callbacks) throws java.io.IOException {
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/callback", exchange -> {
            Map<String, String> params = new LinkedHashMap<>();
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            callbacks.add(params);
            byte[] body = "<!DOCTYPE html><title>Example Mobile</title><p>Signed in. Return to the app.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        return app;
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Flags for a sandbox without a network beyond loopback: no background traffic, no first-run UI.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors", "--window-size=480,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

}
