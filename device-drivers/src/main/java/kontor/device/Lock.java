package kontor.device;

import java.time.Duration;

/**
 * A locker lock or a door strike. Safe state is locked (the output de-energised unless the
 * site file says the strike is fail-safe, in which case the driver knows which level is safe).
 * Reports {@link Signal.LockFeedback} when it has a feedback input.
 */
public interface Lock extends Device {

    /** Unlocks for {@code time}, then locks again by itself. A new pulse restarts the time. */
    void pulse(Duration time);

    /** Keeps the lock unlocked until {@link #lock()} (entrance during opening hours, fire). */
    void hold();

    /** Locks now, cancelling a pulse or a hold. */
    void lock();

    /** Whether the output is commanding "unlocked" right now. */
    boolean unlocked();

    /** Whether this lock has a feedback input reporting the bolt. */
    boolean hasFeedback();
}
