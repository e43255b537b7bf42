package kontor.device.wiring;

/** A directional people counter: one pulse line per direction. */
public record CounterWiring(Pin in, Pin out) { }
