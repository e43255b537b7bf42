package kontor.mqtt;

/** A publish failed because the port had no connection to the broker: try again after the next reconnect. */
public final class NotConnectedException extends IllegalStateException {
    public NotConnectedException(String message) {
        super(message);
    }
}
