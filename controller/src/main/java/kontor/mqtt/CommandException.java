package kontor.mqtt;

import java.util.Objects;

/**
 * A command refused with one of the error codes of docs/reference.md and a message the operator can act on.
 * Thrown before anything was changed.
 */
public class CommandException extends Exception {
    public static final String BAD_REQUEST = "bad_request";
    public static final String UNKNOWN_COMMAND = "unknown_command";
    public static final String NOT_FOUND = "not_found";
    public static final String CONFLICT = "conflict";
    public static final String DENIED = "denied";
    public static final String INSUFFICIENT_FUNDS = "insufficient_funds";
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL = "internal";

    private final String code;

    public CommandException(String code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("a command error needs a code");
        }
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static CommandException badRequest(String message) {
        return new CommandException(BAD_REQUEST, message);
    }

    public static CommandException notFound(String message) {
        return new CommandException(NOT_FOUND, message);
    }

    public static CommandException conflict(String message) {
        return new CommandException(CONFLICT, message);
    }

    public static CommandException denied(String message) {
        return new CommandException(DENIED, message);
    }
}
