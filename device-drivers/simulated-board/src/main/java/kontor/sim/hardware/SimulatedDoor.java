package kontor.sim.hardware;

import java.util.Objects;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;

/**
 * The physics of a door or a locker door: it opens whether or not the lock lets it (a forced door
 * still opens; deciding that it was forced is the gateway's job), its contact follows it, and the
 * lock's feedback follows the lock output unless the lock is jammed.
 */
public final class SimulatedDoor {
    private final SimulatedBoard board;
    private final LockWiring lock;
    private final InputWiring contact;
    // No monitor around board calls: a watcher runs on a driver's thread, which may hold the lock's.
    private volatile boolean open;
    private volatile boolean jammed;

    /** {@code contact} may be null for a door without one. Starts closed. */
    public SimulatedDoor(SimulatedBoard board, LockWiring lock, InputWiring contact) {
        this.board = Objects.requireNonNull(board, "board");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.contact = contact;
        if (contact != null) {
            board.drive(contact.pin(), false);
        }
        if (lock.hasFeedback()) {
            board.drive(lock.feedback(), locked());
            board.watch(lock.output(), energised -> followLock());
        }
    }

    /** Whether the lock holds the door now: a fail-secure lock when de-energised, a fail-safe one when energised. */
    public boolean locked() {
        return board.energised(lock.output()) == lock.failSafe();
    }

    /** Opens the door. Returns false if the lock was locked: the door was forced. */
    public boolean open() {
        boolean wasLocked = locked();
        open = true;
        if (contact != null) {
            board.drive(contact.pin(), true);
        }
        return !wasLocked;
    }

    public void close() {
        open = false;
        if (contact != null) {
            board.drive(contact.pin(), false);
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** A jammed lock's feedback stays where it is whatever the output does; unjamming catches up. */
    public void jam(boolean jammed) {
        this.jammed = jammed;
        followLock();
    }

    private void followLock() {
        if (!jammed && lock.hasFeedback()) {
            board.drive(lock.feedback(), locked());
        }
    }
}
