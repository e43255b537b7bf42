package kontor.printing;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kontor.device.PrinterStatus;

/** Reads what needs an operator out of a printer's status: an error that stops printing, supplies running out. */
final class PrinterProblems {

    /** Reasons that stop printing until someone comes, most urgent first: the alarm names the first one present. */
    static final List<String> ERROR_REASONS = List.of(
            "media-jam", "media-empty", "media-needed", "door-open", "cover-open", "interlock-open");

    private PrinterProblems() { }

    /**
     * Why the printer needs someone, if it does: an error reason (without its IPP severity suffix), else
     * {@code stopped}, or {@code unreachable}.
     */
    static Optional<String> error(PrinterStatus status) {
        if (status.state().equals(PrinterStatus.UNREACHABLE.state())) {
            return Optional.of("unreachable");
        }
        List<String> present = status.reasons().stream().map(PrinterProblems::keyword).toList();
        Optional<String> reason = ERROR_REASONS.stream().filter(present::contains).findFirst();
        if (reason.isPresent()) {
            return reason;
        }
        return status.state().equals("stopped") ? Optional.of("stopped") : Optional.empty();
    }

    /**
     * A state reason without its severity: IPP appends {@code -error}, {@code -warning} or {@code -report}
     * (ippeveprinter says {@code media-empty-report}, a printer in trouble {@code media-empty-error}).
     */
    static String keyword(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        for (String suffix : List.of("-error", "-warning", "-report")) {
            if (r.endsWith(suffix)) {
                return r.substring(0, r.length() - suffix.length());
            }
        }
        return r;
    }

    /** Whether any supply level is known at all: without one, nothing can be said about toner. */
    static boolean suppliesKnown(PrinterStatus status) {
        return status.markers().stream().anyMatch(m -> m.level() >= 0);
    }

    /** The supplies at or below {@code percent}, lowest first. */
    static List<PrinterStatus.Marker> atOrBelow(PrinterStatus status, int percent) {
        return status.markers().stream()
                .filter(m -> m.level() >= 0 && m.level() <= percent)
                .sorted(Comparator.comparingInt(PrinterStatus.Marker::level))
                .toList();
    }
}
