package kontor.cli;

/** Bad input or configuration that the user can fix: reported as one sentence, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
