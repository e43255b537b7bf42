package kontor.time;

/**
 * Whether the system clock is known to be right. A Pi has no real-time clock: after a power cut it boots with a
 * stale time until NTP corrects it, sometimes hours later, and an offline site maybe never. While the answer is
 * no, nothing that depends on the time of day may decide a door (docs/operations.md, "The clock").
 */
@FunctionalInterface
public interface ClockSync {
    /** A clock that is always right: the simulated one, and tests. */
    ClockSync ALWAYS = () -> true;

    boolean synchronised();
}
