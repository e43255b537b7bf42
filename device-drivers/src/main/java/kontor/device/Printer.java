package kontor.device;

/** A network printer; reports {@link Signal.PrinterReport} each time it is polled. */
public interface Printer extends Device {

    /** Asks the printer for its status now and reports it. */
    void poll();

    /** The status of the last poll, or null before the first. */
    PrinterStatus status();
}
