package kontor.device;

import java.net.URI;
import java.time.Duration;

/**
 * Makes a network printer: an IPP printer ({@code kontor.device.ipp.IppPrinter::of}) on a real site,
 * a simulated one in the demo. Printers are not wired, so a {@link DeviceFactory} for wired devices
 * takes one of these for them.
 */
@FunctionalInterface
public interface PrinterFactory {

    /** For boards and tests without printers: asking it for one is a mistake. */
    PrinterFactory NONE = (id, ipp, poll, listener) -> {
        throw new IllegalArgumentException("no printers are made here, so not '" + id + "'");
    };

    Printer create(String id, URI ipp, Duration poll, DeviceListener listener);
}
