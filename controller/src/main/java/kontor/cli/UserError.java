package kontor.cli;

/**
 * Bad input or configuration that the user can fix: reported as one sentence, exit code 2 ({@link Main#BAD_INPUT}),
 * or {@link Main#NO_HARDWARE} when the machine lacks what the site needs. Neither is worth a restart by systemd.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, Main.BAD_INPUT);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = Main.BAD_INPUT;
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
