package kontor.printing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kontor.device.PrinterStatus;
import kontor.device.Signal;
import kontor.core.SiteDevices;

/**
 * A printer's retained device state: {@code {"state","reasons","accepting_jobs","markers":[{"name","color","level"}]}}.
 * The gateway records every printer report through here, so the state has one shape wherever it comes from.
 */
public final class PrinterStates {

    private PrinterStates() { }

    /** Records a report as the printer's device state; publishes only when something changed. */
    public static void record(SiteDevices devices, Signal.PrinterReport report) {
        Map<String, Object> state = fields(report.status());
        var tracked = devices.get(report.device());
        if (tracked.isEmpty()) {
            return;
        }
        // The held print queue's length is the queue's to say, not the printer's: it stays.
        Object held = tracked.get().state("held");
        if (held != null) {
            state.put("held", held);
        }
        boolean same = state.entrySet().stream()
                .allMatch(e -> e.getValue().equals(tracked.get().state(e.getKey())));
        if (!same) {
            devices.replace(report.device(), state);
        }
    }

    /** The state a status is published as. */
    public static Map<String, Object> fields(PrinterStatus status) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", status.state());
        state.put("reasons", List.copyOf(status.reasons()));
        state.put("accepting_jobs", status.acceptingJobs());
        state.put("markers", status.markers().stream().map(m -> {
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("name", m.name());
            marker.put("color", m.color());
            marker.put("level", m.level());
            return marker;
        }).toList());
        return state;
    }
}
