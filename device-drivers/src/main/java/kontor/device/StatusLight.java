package kontor.device;

/** A room's status light. Safe state: off. */
public interface StatusLight extends Device {

    void show(LightColor color, boolean blinking);

    LightColor color();

    boolean blinking();
}
