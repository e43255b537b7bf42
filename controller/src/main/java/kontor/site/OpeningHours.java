package kontor.site;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Weekly opening hours plus dated exceptions, in the site's zone. Local times are turned into instants per
 * date, so a daylight-saving change moves nothing a person would notice: 08:00 stays 08:00 local. A time in a
 * spring-forward gap means the end of the gap; a time that occurs twice in autumn means its first occurrence.
 */
public record OpeningHours(ZoneId zone, Map<DayOfWeek, List<TimeRange>> weekly, List<DatedHours> exceptions) {

    public OpeningHours {
        Map<DayOfWeek, List<TimeRange>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            week.put(day, List.copyOf(weekly.getOrDefault(day, List.of())));
        }
        weekly = java.util.Collections.unmodifiableMap(week);
        exceptions = exceptions.stream().sorted(Comparator.comparing(DatedHours::date)).toList();
    }

    /** The exception for that date, if there is one. */
    public Optional<DatedHours> exceptionOn(LocalDate date) {
        return exceptions.stream().filter(e -> e.date().equals(date)).findFirst();
    }

    /** The local ranges that apply on that date (its exception's, or its weekday's); empty when closed. */
    public List<TimeRange> rangesOn(LocalDate date) {
        return exceptionOn(date).map(DatedHours::ranges).orElseGet(() -> weekly.get(date.getDayOfWeek()));
    }

    /** When the site is open on that local date, as instants; empty when closed. */
    public List<OpenInterval> on(LocalDate date) {
        List<OpenInterval> intervals = new ArrayList<>();
        for (TimeRange range : rangesOn(date)) {
            Instant start = instant(date, range.startMinute());
            Instant end = instant(date, range.endMinute());
            if (start.isBefore(end)) {
                intervals.add(new OpenInterval(start, end));
            }
        }
        return intervals;
    }

    public boolean isOpen(Instant t) {
        LocalDate date = LocalDate.ofInstant(t, zone);
        for (LocalDate d = date.minusDays(1); !d.isAfter(date.plusDays(1)); d = d.plusDays(1)) {
            for (OpenInterval interval : on(d)) {
                if (interval.contains(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The first instant after {@code after} at which the site opens or closes. Back-to-back ranges (also across
     * midnight) are one opening, with no change between them. Empty if nothing changes within a year (or
     * before the last exception), e.g. closed every day.
     */
    public Optional<Instant> nextChange(Instant after) {
        LocalDate first = LocalDate.ofInstant(after, zone).minusDays(1);
        LocalDate last = first.plusDays(367);
        if (!exceptions.isEmpty() && exceptions.getLast().date().plusDays(2).isAfter(last)) {
            last = exceptions.getLast().date().plusDays(2);
        }
        Instant openFrom = null;
        Instant openUntil = null;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (OpenInterval interval : on(d)) {
                if (openUntil != null && !interval.start().isAfter(openUntil)) {
                    openUntil = interval.end().isAfter(openUntil) ? interval.end() : openUntil;
                    continue;
                }
                Optional<Instant> change = changeOf(openFrom, openUntil, after);
                if (change.isPresent()) {
                    return change;
                }
                openFrom = interval.start();
                openUntil = interval.end();
            }
        }
        boolean endsWithinHorizon = openUntil != null && openUntil.isBefore(last.atStartOfDay(zone).toInstant());
        if (endsWithinHorizon) {
            return changeOf(openFrom, openUntil, after);
        }
        return openFrom != null && openFrom.isAfter(after) ? Optional.of(openFrom) : Optional.empty();
    }

    private static Optional<Instant> changeOf(Instant openFrom, Instant openUntil, Instant after) {
        if (openFrom == null) {
            return Optional.empty();
        }
        if (openFrom.isAfter(after)) {
            return Optional.of(openFrom);
        }
        if (openUntil.isAfter(after)) {
            return Optional.of(openUntil);
        }
        return Optional.empty();
    }

    private Instant instant(LocalDate date, int minuteOfDay) {
        if (minuteOfDay == TimeRange.MIDNIGHT) {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
        LocalDateTime local = date.atTime(minuteOfDay / 60, minuteOfDay % 60);
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        return local.toInstant(offsets.getFirst());
    }
}
