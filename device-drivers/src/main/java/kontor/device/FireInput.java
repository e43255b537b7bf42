package kontor.device;

/** The fire-alarm panel's dry contact; reports {@link Signal.FireChanged}. */
public interface FireInput extends Device {
    boolean active();
}
