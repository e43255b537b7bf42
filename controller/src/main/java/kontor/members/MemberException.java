package kontor.members;

import java.util.Objects;
import java.util.Set;

/**
 * A member operation refused; nothing was changed. {@code code} is one of the command error codes of
 * docs/reference.md ("Commands"), so that a command handler can pass it on as it is.
 */
public class MemberException extends RuntimeException {
    public static final String BAD_REQUEST = "bad_request";
    public static final String NOT_FOUND = "not_found";
    public static final String CONFLICT = "conflict";
    public static final String DENIED = "denied";
    private static final Set<String> CODES = Set.of(BAD_REQUEST, "unknown_command", NOT_FOUND, CONFLICT, DENIED,
            "insufficient_funds", "unavailable", "internal");

    private final String code;

    public MemberException(String code, String message) {
        super(message);
        if (!CODES.contains(Objects.requireNonNull(code, "code"))) {
            throw new IllegalArgumentException("not a command error code: " + code);
        }
        this.code = code;
    }

    public String code() {
        return code;
    }
}
