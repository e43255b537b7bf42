package kontor.device.gpio;

import kontor.device.DeviceListener;
import kontor.device.PeopleCounter;
import kontor.device.Signal;

/** A directional people counter: each pulse on the in or out line counts one person. */
final class GpioPeopleCounter extends DeviceBase implements PeopleCounter {

    GpioPeopleCounter(String id, DeviceListener listener) {
        super(id, listener);
    }

    void inPulse(boolean active) {
        if (active && !isClosed()) {
            emit(new Signal.PeopleCounted(id(), 1, 0));
        }
    }

    void outPulse(boolean active) {
        if (active && !isClosed()) {
            emit(new Signal.PeopleCounted(id(), 0, 1));
        }
    }
}
