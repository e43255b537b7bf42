package kontor.site;

import static kontor.site.SiteSettings.*;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The site's rules, every one with its default: the values of the {@link SiteSettings#POLICY} settings
 * (see there, or the {@code policy:} section of the site file, for keys, defaults, ranges and meanings). Read
 * one by its accessor or by its definition, {@code policy.get(SiteSettings.STRIKE_TIME)}. Durations are
 * {@link Duration}s; money is in minor currency units; toner levels are percentages.
 */
public final class Policy {
    private final Map<Setting<?>, Object> values;

    private Policy(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** Every rule at its default. */
    public static Policy defaults() {
        Builder b = new Builder();
        SiteSettings.POLICY.forEach(b::putDefault);
        return b.build();
    }

    /** The value of one rule. */
    public <T extends Comparable<? super T>> T get(Setting<T> setting) {
        Object value = values.get(setting);
        if (value == null) {
            throw new IllegalArgumentException(setting.key() + " is not a policy setting");
        }
        return setting.kind().type().cast(value);
    }

    public Duration lockerPulse() {
        return get(LOCKER_PULSE);
    }

    public Duration strikeTime() {
        return get(STRIKE_TIME);
    }

    public Duration accessibleStrikeTime() {
        return get(ACCESSIBLE_STRIKE_TIME);
    }

    public boolean relockOnOpen() {
        return get(RELOCK_ON_OPEN);
    }

    public Duration doorHeldOpen() {
        return get(DOOR_HELD_OPEN);
    }

    public Duration lockerLeftOpen() {
        return get(LOCKER_LEFT_OPEN);
    }

    public int deniedTapsBeforeLockout() {
        return get(DENIED_TAPS_BEFORE_LOCKOUT);
    }

    public Duration deniedTapsWindow() {
        return get(DENIED_TAPS_WINDOW);
    }

    public Duration lockout() {
        return get(LOCKOUT);
    }

    public int lockerOpensPerMinute() {
        return get(LOCKER_OPENS_PER_MINUTE);
    }

    public Duration maxBookingLength() {
        return get(MAX_BOOKING_LENGTH);
    }

    public int bookingsPerMemberPerDay() {
        return get(BOOKINGS_PER_MEMBER_PER_DAY);
    }

    public int bookingDaysAhead() {
        return get(BOOKING_DAYS_AHEAD);
    }

    public Duration checkInBefore() {
        return get(CHECK_IN_BEFORE);
    }

    public Duration noShowAfter() {
        return get(NO_SHOW_AFTER);
    }

    public Duration vacantAfter() {
        return get(VACANT_AFTER);
    }

    public Duration presenceHold() {
        return get(PRESENCE_HOLD);
    }

    public Duration onTheSpotLength() {
        return get(ON_THE_SPOT_LENGTH);
    }

    public Duration onTheSpotMinimum() {
        return get(ON_THE_SPOT_MINIMUM);
    }

    public Duration amberBefore() {
        return get(AMBER_BEFORE);
    }

    /** How long a held print job waits for its release before it expires (closing time ends it sooner). */
    public Duration printHold() {
        return get(PRINT_HOLD);
    }

    /** How much disk, in bytes, the held print queue may take. */
    public long printSpoolMaxBytes() {
        return get(PRINT_SPOOL_MAX) * 1024 * 1024;
    }

    public Duration copierIdle() {
        return get(COPIER_IDLE);
    }

    public Duration printerPoll() {
        return get(PRINTER_POLL);
    }

    public int tonerWarning() {
        return get(TONER_WARNING);
    }

    public int tonerCritical() {
        return get(TONER_CRITICAL);
    }

    public int missedHeartbeats() {
        return get(MISSED_HEARTBEATS);
    }

    public Duration journalRetention() {
        return get(JOURNAL_RETENTION);
    }

    public long journalMaxEvents() {
        return get(JOURNAL_MAX_EVENTS);
    }

    public Duration doubleTap() {
        return get(DOUBLE_TAP);
    }

    public int dayLockersPerMember() {
        return get(DAY_LOCKERS_PER_MEMBER);
    }

    public long creditLimit() {
        return get(CREDIT_LIMIT);
    }

    public long lockerRentalFee() {
        return get(LOCKER_RENTAL_FEE);
    }

    public Duration enrolWindow() {
        return get(ENROL_WINDOW);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "Policy[", "]");
        values.forEach((setting, value) -> s.add(setting.name() + "=" + format(setting, value)));
        return s.toString();
    }

    private static <T extends Comparable<? super T>> String format(Setting<T> setting, Object value) {
        return setting.kind().format(setting.kind().type().cast(value));
    }

    /** Collects one value per policy setting, each checked against its setting's type. */
    static final class Builder {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();

        <T extends Comparable<? super T>> Builder put(Setting<T> setting, T value) {
            if (!SiteSettings.POLICY.contains(setting)) {
                throw new IllegalArgumentException(setting.key() + " is not a policy setting");
            }
            values.put(setting, setting.kind().type().cast(value));
            return this;
        }

        <T extends Comparable<? super T>> Builder putDefault(Setting<T> setting) {
            return put(setting, setting.defaultValue());
        }

        /** Reads the setting from the {@code policy} section; its default when absent or after a problem (reported). */
        <T extends Comparable<? super T>> Builder read(Setting<T> setting, Fields policy) {
            T value = setting.read(policy);
            return put(setting, value == null ? setting.defaultValue() : value);
        }

        Policy build() {
            for (Setting<?> setting : SiteSettings.POLICY) {
                if (values.get(setting) == null) {
                    throw new IllegalStateException("no value for " + setting.key());
                }
            }
            return new Policy(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
