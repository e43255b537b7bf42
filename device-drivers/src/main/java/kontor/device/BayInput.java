package kontor.device;

/**
 * One sense input of a loan computer's bay: whether the laptop is in it ({@link Sense#PRESENT}, a charger
 * current sense or a microswitch) or whether its charger reports it full ({@link Sense#CHARGED}). Reports
 * {@link Signal.BaySensed}.
 */
public interface BayInput extends Device {

    /** What the input reads. */
    enum Sense { PRESENT, CHARGED }

    Sense sense();

    /** Whether the input is active: the laptop is present, or it is charged. */
    boolean active();
}
