package kontor.device.gpio;

import kontor.device.BayInput;
import kontor.device.DeviceListener;
import kontor.device.Signal;

/** A loan computer bay's present or charged input on one line: active means present, or charged. */
final class GpioBayInput extends InputDevice implements BayInput {
    private final Sense sense;

    GpioBayInput(String id, Sense sense, DeviceListener listener) {
        super(id, listener);
        this.sense = sense;
    }

    @Override
    public Sense sense() {
        return sense;
    }

    @Override
    public boolean active() {
        return lineActive();
    }

    @Override
    void report(boolean active) {
        emit(new Signal.BaySensed(id(), sense, active));
    }
}
