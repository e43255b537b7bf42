package kontor.device.gpio;

import kontor.device.DeviceListener;

/** A device that is one debounced input and reports each change of its meaning. */
abstract class InputDevice extends DeviceBase {
    private InputLine line;

    InputDevice(String id, DeviceListener listener) {
        super(id, listener);
    }

    void wire(InputLine line) {
        this.line = line;
    }

    final boolean lineActive() {
        return line != null && line.active();
    }

    /** Called on the thread that saw the change. */
    final void changed(boolean active) {
        if (!isClosed()) {
            report(active);
        }
    }

    abstract void report(boolean active);
}
