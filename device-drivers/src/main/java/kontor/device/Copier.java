package kontor.device;

/**
 * A copier under card control: an enable line the gateway holds, and page pulses it counts
 * ({@link Signal.PagesCounted}). Safe state: disabled.
 */
public interface Copier extends Device {

    void enable(boolean on);

    boolean enabled();

    /** Whether the copier has a second pulse line for colour pages. */
    boolean countsColour();
}
