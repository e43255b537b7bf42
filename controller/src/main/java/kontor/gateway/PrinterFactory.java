package kontor.gateway;

import kontor.device.DeviceListener;
import kontor.device.Printer;
import kontor.site.DeviceSpec;
import kontor.site.PrinterSpec;

/** Makes the printer a site file describes: an IPP printer in production, a simulated one in the demo. */
@FunctionalInterface
public interface PrinterFactory {
    Printer create(PrinterSpec spec, DeviceListener listener);
}
