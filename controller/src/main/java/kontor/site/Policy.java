package kontor.site;

import java.time.Duration;
import java.util.Map;

/**
 * The site's rules, every one with its default (see {@code PolicySetting} for keys, defaults, ranges and
 * meanings, and the {@code policy:} section of the site file). Durations are {@link Duration}s; money is in
 * minor currency units; toner levels are percentages.
 */
public record Policy(Duration lockerPulse,
                     Duration strikeTime,
                     Duration accessibleStrikeTime,
                     boolean relockOnOpen,
                     Duration doorHeldOpen,
                     Duration lockerLeftOpen,
                     int deniedTapsBeforeLockout,
                     Duration deniedTapsWindow,
                     Duration lockout,
                     int lockerOpensPerMinute,
                     Duration maxBookingLength,
                     int bookingsPerMemberPerDay,
                     int bookingDaysAhead,
                     Duration checkInBefore,
                     Duration noShowAfter,
                     Duration vacantAfter,
                     Duration presenceHold,
                     Duration onTheSpotLength,
                     Duration onTheSpotMinimum,
                     Duration amberBefore,
                     Duration copierIdle,
                     Duration printerPoll,
                     int tonerWarning,
                     int tonerCritical,
                     int missedHeartbeats,
                     Duration journalRetention,
                     long journalMaxEvents,
                     Duration doubleTap,
                     int dayLockersPerMember,
                     long creditLimit,
                     long lockerRentalFee,
                     Duration enrolWindow) {

    /** Every rule at its default: a site file without a {@code policy:} section (the demo) runs on these. */
    public static Policy defaults() {
        return from(PolicySetting.defaults());
    }

    static Policy from(Map<PolicySetting, Object> values) {
        return new Policy(
                (Duration) values.get(PolicySetting.LOCKER_PULSE),
                (Duration) values.get(PolicySetting.STRIKE_TIME),
                (Duration) values.get(PolicySetting.ACCESSIBLE_STRIKE_TIME),
                (Boolean) values.get(PolicySetting.RELOCK_ON_OPEN),
                (Duration) values.get(PolicySetting.DOOR_HELD_OPEN),
                (Duration) values.get(PolicySetting.LOCKER_LEFT_OPEN),
                (Integer) values.get(PolicySetting.DENIED_TAPS_BEFORE_LOCKOUT),
                (Duration) values.get(PolicySetting.DENIED_TAPS_WINDOW),
                (Duration) values.get(PolicySetting.LOCKOUT),
                (Integer) values.get(PolicySetting.LOCKER_OPENS_PER_MINUTE),
                (Duration) values.get(PolicySetting.MAX_BOOKING_LENGTH),
                (Integer) values.get(PolicySetting.BOOKINGS_PER_MEMBER_PER_DAY),
                (Integer) values.get(PolicySetting.BOOKING_DAYS_AHEAD),
                (Duration) values.get(PolicySetting.CHECK_IN_BEFORE),
                (Duration) values.get(PolicySetting.NO_SHOW_AFTER),
                (Duration) values.get(PolicySetting.VACANT_AFTER),
                (Duration) values.get(PolicySetting.PRESENCE_HOLD),
                (Duration) values.get(PolicySetting.ON_THE_SPOT_LENGTH),
                (Duration) values.get(PolicySetting.ON_THE_SPOT_MINIMUM),
                (Duration) values.get(PolicySetting.AMBER_BEFORE),
                (Duration) values.get(PolicySetting.COPIER_IDLE),
                (Duration) values.get(PolicySetting.PRINTER_POLL),
                (Integer) values.get(PolicySetting.TONER_WARNING),
                (Integer) values.get(PolicySetting.TONER_CRITICAL),
                (Integer) values.get(PolicySetting.MISSED_HEARTBEATS),
                (Duration) values.get(PolicySetting.JOURNAL_RETENTION),
                (Long) values.get(PolicySetting.JOURNAL_MAX_EVENTS),
                (Duration) values.get(PolicySetting.DOUBLE_TAP),
                (Integer) values.get(PolicySetting.DAY_LOCKERS_PER_MEMBER),
                (Long) values.get(PolicySetting.CREDIT_LIMIT),
                (Long) values.get(PolicySetting.LOCKER_RENTAL_FEE),
                (Duration) values.get(PolicySetting.ENROL_WINDOW));
    }
}
