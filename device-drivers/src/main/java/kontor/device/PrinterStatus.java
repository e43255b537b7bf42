package kontor.device;

import java.util.List;

/**
 * What a printer says about itself (IPP terms).
 *
 * @param state   {@code idle}, {@code processing}, {@code stopped}, or {@code unreachable}
 * @param reasons IPP printer-state-reasons, e.g. {@code media-empty}, {@code media-jam}
 * @param markers supplies with their level in percent (-1 when unknown)
 */
public record PrinterStatus(String state, List<String> reasons, boolean acceptingJobs, List<Marker> markers) {

    /** What a printer that does not answer is said to be. */
    public static final PrinterStatus UNREACHABLE = new PrinterStatus("unreachable", List.of(), false, List.of());

    public PrinterStatus {
        reasons = List.copyOf(reasons);
        markers = List.copyOf(markers);
    }

    public record Marker(String name, String color, int level) { }
}
