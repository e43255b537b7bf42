package kontor.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One open transaction. Hand it down to whatever must commit or roll back together with the caller
 * (an event with what it records, a reply with the command's effect); never keep it after the work returns.
 */
public final class Tx {
    private final Connection connection;
    private final boolean readOnly;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> atEnd = new ArrayList<>();
    private final Set<String> locks = new HashSet<>();

    Tx(Connection connection, boolean readOnly) {
        this.connection = connection;
        this.readOnly = readOnly;
    }

    public Connection connection() {
        return connection;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Runs {@code action} on the committing thread once the transaction has committed; never when it
     * rolls back (nor in a read-only transaction, which refuses them). Actions run in registration order; one that throws is logged and does not stop the rest.
     */
    public void afterCommit(Runnable action) {
        if (readOnly) {
            throw new IllegalStateException("a read-only transaction never commits");
        }
        afterCommit.add(action);
    }

    /**
     * Runs {@code action} on this thread when the transaction ends, committed or rolled back, before any
     * {@link #afterCommit} action: for releasing what was held for the transaction's length.
     */
    public void atEnd(Runnable action) {
        atEnd.add(action);
    }

    /**
     * Notes that this transaction now holds {@code lock} (a row others queue on) until it ends, so that
     * code running inside it knows not to wait for those others: they wait for it.
     */
    public void tookLock(String lock) {
        locks.add(lock);
    }

    /** Whether {@link #tookLock} noted {@code lock} in this transaction. */
    public boolean holdsLock(String lock) {
        return locks.contains(lock);
    }

    List<Runnable> atEndActions() {
        return atEnd;
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }
}
