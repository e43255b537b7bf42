package kontor.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who is logged in: a random session token (the cookie) per log-in, each with its own CSRF token;
 * sessions end after {@link #IDLE} without a request and after {@link #ABSOLUTE} in any case. And who
 * failed to log in: {@link #MAX_FAILURES} wrong passwords in a row pause that account for {@link #PAUSE}.
 * In memory only: a restart logs everyone out, which is the safe side.
 */
public final class Sessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    public static final int MAX_FAILURES = 5;
    public static final Duration PAUSE = Duration.ofMinutes(15);
    /** More sessions than a site's hosts and admins ever have: the oldest goes. */
    static final int MAX_SESSIONS = 200;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A logged-in user. */
    public record Session(String token, String user, Role role, String csrf, Instant started, Instant lastSeen) {
        Session seen(Instant now) {
            return new Session(token, user, role, csrf, started, now);
        }
    }

    private record Failures(int count, Instant pausedUntil) { }

    private final Supplier<Instant> clock;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Failures> failures = new HashMap<>();

    public Sessions(Supplier<Instant> clock) {
        this.clock = clock;
    }

    public synchronized Session start(String user, Role role) {
        Instant now = clock.get();
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.remove(sessions.keySet().iterator().next());
        }
        Session s = new Session(token(), user, role, token(), now, now);
        sessions.put(s.token(), s);
        failures.remove(user);
        return s;
    }

    /** The live session with this token, now seen again; empty when unknown or timed out. */
    public synchronized Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = sessions.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.get();
        if (now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.started().plus(ABSOLUTE))) {
            sessions.remove(token);
            return Optional.empty();
        }
        Session seen = s.seen(now);
        sessions.put(token, seen);
        return Optional.of(seen);
    }

    public synchronized void end(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /** Ends every session of {@code user} (the account was removed or changed). */
    public synchronized void endAll(String user) {
        sessions.values().removeIf(s -> s.user().equals(user));
    }

    /** Until when {@code user} may not log in, if paused now. */
    public synchronized Optional<Instant> pausedUntil(String user) {
        Failures f = failures.get(user);
        if (f == null || f.pausedUntil() == null || !clock.get().isBefore(f.pausedUntil())) {
            return Optional.empty();
        }
        return Optional.of(f.pausedUntil());
    }

    /** Counts a wrong password; true when this one paused the account. */
    public synchronized boolean failed(String user) {
        Failures f = failures.getOrDefault(user, new Failures(0, null));
        if (f.pausedUntil() != null && !clock.get().isBefore(f.pausedUntil())) {
            f = new Failures(0, null); // the pause is over: a fresh count
        }
        int count = f.count() + 1;
        if (count >= MAX_FAILURES) {
            failures.put(user, new Failures(0, clock.get().plus(PAUSE)));
            return true;
        }
        failures.put(user, new Failures(count, f.pausedUntil()));
        return false;
    }

    /** An admin lifts a pause. */
    public synchronized void unpause(String user) {
        failures.remove(user);
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
