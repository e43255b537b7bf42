package kontor.device.gpio;

import kontor.device.DeviceListener;
import kontor.device.FireInput;
import kontor.device.Signal;

/** The fire panel's dry contact on one input. */
final class GpioFireInput extends InputDevice implements FireInput {

    GpioFireInput(String id, DeviceListener listener) {
        super(id, listener);
    }

    @Override
    public boolean active() {
        return lineActive();
    }

    @Override
    void report(boolean active) {
        emit(new Signal.FireChanged(id(), active));
    }
}
