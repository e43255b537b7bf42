package kontor.device.gpio;

import kontor.device.DeviceListener;
import kontor.device.DoorContact;
import kontor.device.Signal;

/** A reed contact on one input: active means open. */
final class GpioDoorContact extends InputDevice implements DoorContact {

    GpioDoorContact(String id, DeviceListener listener) {
        super(id, listener);
    }

    @Override
    public boolean open() {
        return lineActive();
    }

    @Override
    void report(boolean active) {
        emit(new Signal.ContactChanged(id(), active));
    }
}
