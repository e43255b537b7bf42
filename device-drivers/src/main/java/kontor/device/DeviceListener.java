package kontor.device;

/**
 * The one way up from a driver to the gateway. Drivers call it on whatever thread observed
 * the change (a GPIO edge thread, a poller); the listener must hand the signal over quickly
 * and must not throw.
 */
@FunctionalInterface
public interface DeviceListener {
    void onSignal(Signal signal);

    DeviceListener IGNORE = signal -> { };
}
