package kontor.lockers;

import java.time.Instant;

/**
 * A locker's stored assignment. {@code member} is the holder (and stays on a locker that needs emptying, so
 * that a host knows whose things are in it); {@code depositKey} names the ledger posting that holds the
 * deposit, null when none is held.
 */
record LockerRow(String locker, LockerStatus status, boolean inService, String member, String assignment,
                 Instant since, Instant until, long deposit, String depositKey) {

    boolean heldBy(String memberId) {
        return status == LockerStatus.ASSIGNED && memberId.equals(member);
    }
}
