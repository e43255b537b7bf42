package kontor.device.gpio;

import kontor.device.DeviceListener;
import kontor.device.PresenceSensor;
import kontor.device.Signal;

/** A PIR or radar sensor on one input: active means motion. */
final class GpioPresenceSensor extends InputDevice implements PresenceSensor {

    GpioPresenceSensor(String id, DeviceListener listener) {
        super(id, listener);
    }

    @Override
    public boolean motion() {
        return lineActive();
    }

    @Override
    void report(boolean active) {
        emit(new Signal.MotionChanged(id(), active));
    }
}
