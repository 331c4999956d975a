package io.registrar.login;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.PasswordHasher;
import io.registrar.crypto.Secrets;
import io.registrar.store.SsoSession;
import io.registrar.store.User;
import io.registrar.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Users signing in on the login page, and their single sign-on sessions. Failed sign-ins are counted
 * per account and per source address in the database (so every node throttles alike); once either
 * count reaches its limit, sign-in is refused before the password is even checked, until the window
 * ends. Sessions are random 256-bit cookie values stored as HMAC hashes, like every other credential.
 */
public final class LoginService {

    private static final Logger log = LoggerFactory.getLogger(LoginService.class);
    private static final String WRONG = "The username or password is incorrect.";

    /** A successful sign-in: the user, the new session, and the cookie value that names it. */
    public record SignedIn(User user, SsoSession session, String cookieValue) {
    }

    private final UserStore users;
    private final PasswordHasher passwords;
    private final Secrets secrets;
    private final Clock clock;
    private final RegistrarConfig.Login settings;

    public LoginService(UserStore users, PasswordHasher passwords, Secrets secrets, Clock clock, RegistrarConfig.Login settings) {
        this.users = users;
        this.passwords = passwords;
        this.secrets = secrets;
        this.clock = clock;
        this.settings = settings;
    }

    /** Creates the configured users that do not exist yet (passwords hashed here, never stored plain). */
    public void ensureUsers(List<RegistrarConfig.User> configured) {
        for (RegistrarConfig.User u : configured) {
            String username = normalize(u.username());
            // Looked up first so that an existing user costs no Argon2id hash at every start-up;
            // insertIfAbsent still settles a race between nodes starting together.
            if (users.findByUsername(username).isEmpty()
                    && users.insertIfAbsent(new User(UUID.randomUUID().toString(), username, passwords.hash(u.password()),
                    u.name(), u.email(), clock.instant()))) {
                log.info("created user {}", username);
            }
        }
    }

    /**
     * Checks the password and opens a session.
     *
     * @throws LoginException with the page's message when the credentials are wrong or sign-in is throttled
     */
    public SignedIn signIn(String username, String password, String sourceAddress) {
        String name = normalize(username);
        if (name.isEmpty() || password == null || password.isEmpty()) {
            throw new LoginException("Enter your username and password.", false);
        }
        if (name.length() > 255 || password.length() > 1024) {
            throw new LoginException(WRONG, false);
        }
        Instant now = clock.instant();
        Duration window = settings.failureWindow();
        String accountKey = secrets.hash("login-account:" + name);
        String addressKey = secrets.hash("login-address:" + sourceAddress);
        if (users.failures(addressKey, now, window) >= settings.maxFailuresPerAddress()) {
            log.warn("sign-in refused: too many failures from this address");
            throw new LoginException("Too many failed sign-in attempts from your network. Wait "
                    + minutes(window) + " and try again.", true);
        }
        if (users.failures(accountKey, now, window) >= settings.maxFailuresPerAccount()) {
            log.warn("sign-in refused: too many failures for this account");
            throw new LoginException("Too many failed sign-in attempts for this account. Wait "
                    + minutes(window) + " and try again.", true);
        }
        Optional<User> user = users.findByUsername(name);
        // verify(…, null) runs a dummy hash: an unknown username costs as much time as a wrong password.
        boolean ok = passwords.verify(password, user.map(User::passwordHash).orElse(null));
        if (!ok || user.isEmpty()) {
            users.recordFailure(accountKey, now, window);
            users.recordFailure(addressKey, now, window);
            throw new LoginException(WRONG, false);
        }
        users.clearFailures(accountKey);
        String cookie = secrets.newSecret();
        SsoSession session = new SsoSession(secrets.hash(cookie), user.get().userId(), now, now.plus(settings.sessionLifetime()));
        users.insertSession(session);
        return new SignedIn(user.get(), session, cookie);
    }

    /** The live session named by the cookie value, if any. */
    public Optional<SsoSession> session(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
            return Optional.empty();
        }
        return users.findSession(secrets.hash(cookieValue), clock.instant());
    }

    public void signOut(String cookieValue) {
        if (cookieValue != null && !cookieValue.isEmpty() && cookieValue.length() <= 128) {
            users.deleteSession(secrets.hash(cookieValue));
        }
    }

    public Optional<User> user(String userId) {
        return users.find(userId);
    }

    public Optional<User> userByName(String username) {
        return users.findByUsername(normalize(username));
    }

    public Duration sessionLifetime() {
        return settings.sessionLifetime();
    }

    private static String normalize(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    private static String minutes(Duration d) {
        long m = Math.max(1, d.toMinutes());
        return m == 1 ? "a minute" : m + " minutes";
    }
}
