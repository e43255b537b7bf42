package kontor.lockers;

import java.util.Locale;

/** Who may use a locker now, as stored; "out of service" is kept apart (see {@link LockerRow#inService}). */
enum LockerStatus {
    FREE, ASSIGNED, NEEDS_EMPTYING;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LockerStatus fromWireName(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
