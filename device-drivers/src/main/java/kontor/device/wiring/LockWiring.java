package kontor.device.wiring;

/**
 * A lock or strike: the relay output, an optional feedback input (active = bolt locked),
 * and whether it is fail-safe (unlocks when unpowered, so "locked" means energised).
 */
public record LockWiring(Pin output, Pin feedback, boolean failSafe) {
    public boolean hasFeedback() {
        return feedback != null;
    }
}
