package kontor.sim.broker;

/** The embedded broker could not start; the message is one sentence fit for the console. */
public final class BrokerException extends Exception {
    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
