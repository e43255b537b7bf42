package kontor.device.gpio;

import java.time.Duration;
import java.util.Objects;
import kontor.device.DeviceListener;
import kontor.device.Lock;
import kontor.device.Signal;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lock or strike on a relay output (header or expander), relocked by the site scheduler. */
final class GpioLock extends DeviceBase implements Lock {
    private static final Logger log = LoggerFactory.getLogger(GpioLock.class);

    private final Scheduler scheduler;
    private final boolean failSafe;
    private OutputLine output;
    private InputLine feedback;
    private boolean unlocked;
    private long generation;
    private Scheduler.Timer relock;

    GpioLock(String id, DeviceListener listener, Scheduler scheduler, boolean failSafe) {
        super(id, listener);
        this.scheduler = scheduler;
        this.failSafe = failSafe;
    }

    /** Whether the relay is energised when the lock is locked. */
    static boolean energisedWhenLocked(boolean failSafe) {
        return failSafe;
    }

    void wire(OutputLine output, InputLine feedback) {
        this.output = output;
        this.feedback = feedback;
    }

    void feedbackChanged(boolean locked) {
        emit(new Signal.LockFeedback(id(), locked));
    }

    @Override
    public void pulse(Duration time) {
        Objects.requireNonNull(time, "time");
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("a lock pulse must be longer than zero, not " + time);
        }
        synchronized (this) {
            if (refusedWhenClosed("pulse")) {
                return;
            }
            long mine = cancelTimer();
            drive(true);
            relock = scheduler.schedule(time, () -> relockIfStill(mine));
        }
    }

    private synchronized void relockIfStill(long pulseGeneration) {
        if (generation == pulseGeneration && !isClosed()) {
            relock = null;
            drive(false);
        }
    }

    @Override
    public synchronized void hold() {
        if (refusedWhenClosed("hold")) {
            return;
        }
        cancelTimer();
        drive(true);
    }

    @Override
    public synchronized void lock() {
        if (refusedWhenClosed("lock")) {
            return;
        }
        cancelTimer();
        drive(false);
    }

    @Override
    public synchronized boolean unlocked() {
        return unlocked;
    }

    @Override
    public boolean hasFeedback() {
        return feedback != null;
    }

    @Override
    synchronized void beforeClose() {
        cancelTimer();
        unlocked = false;
    }

    private long cancelTimer() {
        generation++;
        if (relock != null) {
            relock.cancel();
            relock = null;
        }
        return generation;
    }

    private void drive(boolean unlock) {
        unlocked = unlock;
        output.set(unlock != energisedWhenLocked(failSafe));
    }

    private boolean refusedWhenClosed(String what) {
        if (isClosed()) {
            log.warn("Ignoring {} of closed lock {}", what, id());
            return true;
        }
        return false;
    }
}
