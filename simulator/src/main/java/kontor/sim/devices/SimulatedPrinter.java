package kontor.sim.devices;

import java.util.ArrayList;
import java.util.List;
import kontor.device.DeviceListener;
import kontor.device.Health;
import kontor.device.Printer;
import kontor.device.PrinterStatus;
import kontor.device.Signal;

/**
 * A network printer in software, answering polls like an IPP printer would: idle, jammed or out of
 * paper, with a toner level, and able to vanish from the network.
 */
public final class SimulatedPrinter implements Printer {

    /** The conditions the simulator can put the printer in. */
    public enum Condition { IDLE, JAM, PAPER_OUT }

    /** Printers warn of low toner themselves; this one at 15 %, like the gateway's default. */
    private static final int TONER_LOW_REPORTED_AT = 15;

    private final String id;
    private final DeviceListener listener;
    private Condition condition = Condition.IDLE;
    private int toner = 80;
    private boolean reachable = true;
    private PrinterStatus last;

    public SimulatedPrinter(String id, DeviceListener listener) {
        this.id = id;
        this.listener = listener;
    }

    /** Sets the condition and toner level (0–100) and reports at once, as the next poll would. */
    public synchronized void set(Condition condition, int toner) {
        if (toner < 0 || toner > 100) {
            throw new IllegalArgumentException("toner must be 0..100, not " + toner);
        }
        this.condition = condition;
        this.toner = toner;
        poll();
    }

    /** Drops off the network (polls fail) or comes back. */
    public synchronized void reachable(boolean reachable) {
        if (this.reachable != reachable) {
            this.reachable = reachable;
            listener.onSignal(new Signal.HealthChanged(id, health()));
        }
        poll();
    }

    @Override
    public synchronized void poll() {
        last = current();
        listener.onSignal(new Signal.PrinterReport(id, last));
    }

    /**
     * What an IPP printer in the same condition says, as {@code IppPrinter} reports it: IPP state-reason
     * keywords with their severity suffix, the toner as a marker, nothing at all when unreachable.
     */
    private PrinterStatus current() {
        if (!reachable) {
            return new PrinterStatus("unreachable", List.of(), false, List.of());
        }
        List<PrinterStatus.Marker> markers = List.of(new PrinterStatus.Marker("Black Toner", "#000000", toner));
        List<String> reasons = new ArrayList<>(switch (condition) {
            case IDLE -> List.<String>of();
            case JAM -> List.of("media-jam-error");
            case PAPER_OUT -> List.of("media-empty-error", "media-needed-error");
        });
        if (toner <= TONER_LOW_REPORTED_AT) {
            reasons.add("toner-low-warning");
        }
        return new PrinterStatus(condition == Condition.IDLE ? "idle" : "stopped", reasons, true, markers);
    }

    @Override
    public synchronized PrinterStatus status() {
        return last;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized Health health() {
        return reachable ? Health.ONLINE : Health.offline("no connection within 10 s");
    }

    @Override
    public void close() { }
}
