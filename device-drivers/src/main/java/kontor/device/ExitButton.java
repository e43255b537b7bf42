package kontor.device;

/** A request-to-exit button; reports {@link Signal.ExitPressed}. */
public interface ExitButton extends Device { }
