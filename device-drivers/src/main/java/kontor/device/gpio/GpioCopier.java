package kontor.device.gpio;

import kontor.device.Copier;
import kontor.device.DeviceListener;
import kontor.device.Signal;

/** A copier's enable relay and its page pulse lines; each pulse is one page. */
final class GpioCopier extends DeviceBase implements Copier {
    private OutputLine enable;
    private boolean countsColour;

    GpioCopier(String id, DeviceListener listener) {
        super(id, listener);
    }

    void wire(OutputLine enable, boolean countsColour) {
        this.enable = enable;
        this.countsColour = countsColour;
    }

    void monoPulse(boolean active) {
        if (active && !isClosed()) {
            emit(new Signal.PagesCounted(id(), 1, 0));
        }
    }

    void colourPulse(boolean active) {
        if (active && !isClosed()) {
            emit(new Signal.PagesCounted(id(), 0, 1));
        }
    }

    @Override
    public synchronized void enable(boolean on) {
        if (!isClosed()) {
            enable.set(on);
        }
    }

    @Override
    public boolean enabled() {
        return enable.active();
    }

    @Override
    public boolean countsColour() {
        return countsColour;
    }

    @Override
    synchronized void beforeClose() {
        enable.set(false);
    }
}
