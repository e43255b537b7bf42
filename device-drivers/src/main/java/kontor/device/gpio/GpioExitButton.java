package kontor.device.gpio;

import kontor.device.DeviceListener;
import kontor.device.ExitButton;
import kontor.device.Signal;

/** A request-to-exit button on one input; a press is reported, the release is not. */
final class GpioExitButton extends InputDevice implements ExitButton {

    GpioExitButton(String id, DeviceListener listener) {
        super(id, listener);
    }

    @Override
    void report(boolean active) {
        if (active) {
            emit(new Signal.ExitPressed(id()));
        }
    }
}
