package kontor.device.wiring;

/** A copier: the enable relay and its page pulse line(s); {@code colourPulse} may be null. */
public record CopierWiring(Pin enable, Pin monoPulse, Pin colourPulse) { }
