package io.registrar.login;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.PasswordHasher;
import io.registrar.crypto.Secrets;
import io.registrar.store.FailureStore;
import io.registrar.store.SsoSession;
import io.registrar.store.User;
import io.registrar.store.UserStore;
import io.registrar.throttle.GuessThrottle;
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
 * Users signing in on the login page, and their single sign-on sessions. Password guessing is held
 * back by a {@link GuessThrottle} (login.throttling): growing delays per account and address, per
 * address, and a ceiling per account that stops only addresses that have failed for it, so a guesser
 * cannot lock the real user out. A refused attempt is refused before the password is checked.
 * Sessions are random 256-bit cookie values stored as HMAC hashes, like every other credential.
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
    private final GuessThrottle throttle;

    public LoginService(UserStore users, FailureStore failures, PasswordHasher passwords, Secrets secrets, Clock clock,
                        RegistrarConfig.Login settings) {
        this.users = users;
        this.passwords = passwords;
        this.secrets = secrets;
        this.clock = clock;
        this.settings = settings;
        this.throttle = new GuessThrottle("login", settings.throttling(), failures, secrets, clock);
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
            throw new LoginException("Enter your username and password.");
        }
        if (name.length() > 255 || password.length() > 1024) {
            throw new LoginException(WRONG);
        }
        GuessThrottle.Attempt attempt = throttle.begin(name, sourceAddress);
        if (attempt.refused()) {
            log.warn("sign-in refused: too many failed attempts, {} s to wait", attempt.retryAfterSeconds());
            throw new LoginException("Too many failed sign-in attempts. Try again in " + howLong(attempt.retryAfterSeconds()) + ".",
                    attempt.retryAfterSeconds());
        }
        Optional<User> user = users.findByUsername(name);
        // verify(…, null) runs a dummy hash: an unknown username costs as much time as a wrong password.
        boolean ok = passwords.verify(password, user.map(User::passwordHash).orElse(null));
        if (!ok || user.isEmpty()) {
            throw new LoginException(WRONG);
        }
        throttle.succeeded(attempt);
        Instant now = clock.instant();
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

    /** A wait as the page says it: seconds up to two minutes, then minutes. */
    static String howLong(long seconds) {
        if (seconds < 120) {
            return seconds == 1 ? "a second" : seconds + " seconds";
        }
        return ((seconds + 59) / 60) + " minutes";
    }
}
