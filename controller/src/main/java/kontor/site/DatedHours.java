package kontor.site;

import java.time.LocalDate;
import java.util.List;

/** A dated exception to the weekly hours: other ranges that day, or closed (no ranges); {@code note} may be null. */
public record DatedHours(LocalDate date, List<TimeRange> ranges, String note) {
    public DatedHours {
        ranges = List.copyOf(ranges);
    }

    public boolean closed() {
        return ranges.isEmpty();
    }
}
