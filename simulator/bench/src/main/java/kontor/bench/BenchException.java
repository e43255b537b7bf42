package kontor.bench;

/** A figure could not be measured at all (a missing broker, a child that would not start); the message says why. */
final class BenchException extends RuntimeException {
    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
