package kontor.members;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Locks a reader out after too many denied taps: {@code maxDenied} denials within {@code window} lock it
 * for {@code lockout} (by default 5 in 60 s lock it for 60 s). Denials while locked out do not count and do
 * not extend the lockout. In memory only; time comes from the caller.
 *
 * <p>The keys may come from strangers (a print name over the network, not only a reader's id), so at most
 * {@link #MAX_TRACKED} of them are remembered: past that, the one denied longest ago is forgotten first. Cycling
 * through that many names to shed one's own lockout costs an attacker thousands of checked passwords.
 */
public final class ReaderLockout {
    private final int maxDenied;
    private final Duration window;
    private final Duration lockout;
    /** How many keys are remembered, each for its denials and for its lockout. */
    static final int MAX_TRACKED = 10_000;

    private final Map<String, ArrayDeque<Instant>> denials = bounded();
    private final Map<String, Instant> lockedUntil = bounded();

    public ReaderLockout(int maxDenied, Duration window, Duration lockout) {
        if (maxDenied < 1) {
            throw new IllegalArgumentException("maxDenied must be at least 1");
        }
        if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("window and lockout must be positive");
        }
        this.maxDenied = maxDenied;
        this.window = window;
        this.lockout = lockout;
    }

    /** A map that forgets its eldest entry once it holds more than {@link #MAX_TRACKED}. */
    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }

    /** Keys remembered now (tests). */
    synchronized int tracked() {
        return denials.size() + lockedUntil.size();
    }

    /** The site default: 5 denials in 60 s lock a reader for 60 s. */
    public static ReaderLockout defaults() {
        return new ReaderLockout(5, Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    public synchronized boolean lockedOut(String reader, Instant now) {
        return lockedUntil(reader, now).isPresent();
    }

    /** When the reader's lockout ends, if it is locked out at {@code now}. */
    public synchronized Optional<Instant> lockedUntil(String reader, Instant now) {
        Objects.requireNonNull(reader, "reader");
        Instant until = lockedUntil.get(reader);
        if (until == null) {
            return Optional.empty();
        }
        if (!now.isBefore(until)) {
            lockedUntil.remove(reader);
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /**
     * Counts a denied tap at {@code reader}.
     *
     * @return true when this denial starts a lockout (report it once: {@code reader.locked_out})
     */
    public synchronized boolean recordDenied(String reader, Instant now) {
        Objects.requireNonNull(now, "now");
        if (lockedOut(reader, now)) {
            return false;
        }
        // Taken out and put back, so that the map's order is by last denial: the eldest is the stalest.
        ArrayDeque<Instant> recent = denials.remove(reader);
        if (recent == null) {
            recent = new ArrayDeque<>();
        }
        denials.put(reader, recent);
        Instant windowStart = now.minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) {
            recent.pollFirst();
        }
        recent.addLast(now);
        if (recent.size() < maxDenied) {
            return false;
        }
        denials.remove(reader);
        lockedUntil.put(reader, now.plus(lockout));
        return true;
    }

    /** Forgets a reader's denials and lockout (a host cleared it). */
    public synchronized void clear(String reader) {
        denials.remove(reader);
        lockedUntil.remove(reader);
    }
}
