package kontor.device;

/** An occupancy (PIR or radar) sensor; reports {@link Signal.MotionChanged}. */
public interface PresenceSensor extends Device {
    boolean motion();
}
