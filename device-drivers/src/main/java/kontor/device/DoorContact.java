package kontor.device;

/** A reed contact on a door or locker door; reports {@link Signal.ContactChanged}. */
public interface DoorContact extends Device {
    boolean open();
}
