package kontor.site;

import java.time.LocalTime;

/**
 * Opening time within one local day, as minutes since midnight: {@code [startMinute, endMinute)}, with
 * {@code endMinute} up to 1440 (written {@code 24:00}); a range never crosses midnight.
 */
public record TimeRange(int startMinute, int endMinute) {
    static final int MIDNIGHT = 24 * 60;

    public TimeRange {
        if (startMinute < 0 || endMinute > MIDNIGHT || startMinute >= endMinute) {
            throw new IllegalArgumentException("not a time range within a day: " + startMinute + ".." + endMinute);
        }
    }

    public LocalTime start() {
        return LocalTime.ofSecondOfDay(startMinute * 60L);
    }

    /** The end, where {@code 24:00} reads as {@link LocalTime#MIDNIGHT} of the next day. */
    public LocalTime end() {
        return endMinute == MIDNIGHT ? LocalTime.MIDNIGHT : LocalTime.ofSecondOfDay(endMinute * 60L);
    }

    public boolean endsAtMidnight() {
        return endMinute == MIDNIGHT;
    }

    boolean overlaps(TimeRange other) {
        return startMinute < other.endMinute && other.startMinute < endMinute;
    }

    /** As in the site file, e.g. {@code 08:00-22:00}. */
    @Override
    public String toString() {
        return clock(startMinute) + "-" + clock(endMinute);
    }

    private static String clock(int minute) {
        return String.format("%02d:%02d", minute / 60, minute % 60);
    }
}
