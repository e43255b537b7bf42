package kontor.site;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every rule of {@link Policy} defined once: its key under {@code policy:} in the site file, its default, the
 * range that makes sense, and what it means. The site-file skeleton ({@code kontor provision init}) lists them all.
 */
enum PolicySetting {
    LOCKER_PULSE("locker_pulse", ms(500), ms(50), s(10), "how long a locker lock is energised to open"),
    STRIKE_TIME("strike_time", s(5), s(1), m(2), "how long a door strike stays released after a granted tap"),
    ACCESSIBLE_STRIKE_TIME("accessible_strike_time", s(15), s(1), m(5), "the strike time for accessible members"),
    RELOCK_ON_OPEN("relock_on_open", true, null, null, "relock as soon as the door opens (anti-tailgating)"),
    DOOR_HELD_OPEN("door_held_open", s(60), s(5), h(1), "a door open longer than this raises door.held_open"),
    LOCKER_LEFT_OPEN("locker_left_open", s(120), s(10), h(1), "a locker open longer than this raises locker.left_open"),
    DENIED_TAPS_BEFORE_LOCKOUT("denied_taps_before_lockout", 5, 1, 100, "denied taps within the window that lock a reader out"),
    DENIED_TAPS_WINDOW("denied_taps_window", s(60), s(1), h(1), "the window in which denied taps are counted"),
    LOCKOUT("lockout", s(60), s(1), h(24), "how long a locked-out reader ignores taps"),
    LOCKER_OPENS_PER_MINUTE("locker_opens_per_minute", 6, 1, 60, "at most this many opens per locker and minute"),
    MAX_BOOKING_LENGTH("max_booking_length", h(4), m(15), h(24), "the longest booking"),
    BOOKINGS_PER_MEMBER_PER_DAY("bookings_per_member_per_day", 2, 1, 50, "bookings a member may hold per day"),
    BOOKING_DAYS_AHEAD("booking_days_ahead", 14, 0, 365, "how many days ahead a room can be booked"),
    CHECK_IN_BEFORE("check_in_before", m(10), Duration.ZERO, h(2), "check-in opens this long before the start"),
    NO_SHOW_AFTER("no_show_after", m(10), m(1), h(4), "a booking not checked in by start + this is released"),
    VACANT_AFTER("vacant_after", m(15), m(1), h(4), "a checked-in room without presence this long is released"),
    PRESENCE_HOLD("presence_hold", m(5), s(10), h(1), "a room counts as occupied this long after the last motion"),
    ON_THE_SPOT_LENGTH("on_the_spot_length", m(60), m(5), h(24), "length of a booking made by a tap at a free room"),
    ON_THE_SPOT_MINIMUM("on_the_spot_minimum", m(15), m(1), h(24), "a free slot shorter than this cannot be booked on the spot"),
    AMBER_BEFORE("amber_before", m(15), Duration.ZERO, h(4), "a room's light turns amber this long before a booking"),
    COPIER_IDLE("copier_idle", s(60), s(5), h(1), "a copier session ends after this long without a page"),
    PRINTER_POLL("printer_poll", s(60), s(5), h(1), "how often printers are asked for their state (default of each printer)"),
    TONER_WARNING("toner_warning", 15, 0, 100, "toner at or below this percentage raises a warning"),
    TONER_CRITICAL("toner_critical", 5, 0, 100, "toner at or below this percentage is critical"),
    MISSED_HEARTBEATS("missed_heartbeats", 3, 1, 100, "a device silent for this many heartbeats is offline"),
    JOURNAL_RETENTION("journal_retention", d(90), d(1), d(3650), "published events are deleted after this long"),
    JOURNAL_MAX_EVENTS("journal_max_events", 2_000_000L, 1_000L, 1_000_000_000L,
            "the journal's size cap: the oldest published events go first; alarm at 80 %"),
    DOUBLE_TAP("double_tap", s(4), ms(500), s(30), "the same card twice within this releases a day locker"),
    DAY_LOCKERS_PER_MEMBER("day_lockers_per_member", 1, 0, 100, "day lockers one member may hold at once"),
    CREDIT_LIMIT("credit_limit", 0L, 0L, 1_000_000_000L, "how far below zero a balance may go, in minor units"),
    LOCKER_RENTAL_FEE("locker_rental_fee", 0L, 0L, 1_000_000_000L, "charged, in minor units, when a host assigns a rental locker"),
    ENROL_WINDOW("enrol_window", s(30), s(5), m(10), "after a host's card, a new card tapped within this is enrolled");

    final String key;
    final Object defaultValue;
    final Object min;
    final Object max;
    final String meaning;

    PolicySetting(String key, Object defaultValue, Object min, Object max, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.meaning = meaning;
    }

    static Map<PolicySetting, Object> defaults() {
        Map<PolicySetting, Object> values = new EnumMap<>(PolicySetting.class);
        for (PolicySetting setting : values()) {
            values.put(setting, setting.defaultValue);
        }
        return values;
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static Duration s(long n) {
        return Duration.ofSeconds(n);
    }

    private static Duration m(long n) {
        return Duration.ofMinutes(n);
    }

    private static Duration h(long n) {
        return Duration.ofHours(n);
    }

    private static Duration d(long n) {
        return Duration.ofDays(n);
    }
}
