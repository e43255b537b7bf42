package kontor.device.wiring;

/** A status light's lamps. With no amber pin, amber is green and red together. */
public record LightWiring(Pin green, Pin amber, Pin red) { }
