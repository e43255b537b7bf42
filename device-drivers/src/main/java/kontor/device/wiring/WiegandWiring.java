package kontor.device.wiring;

/** A Wiegand reader's two data lines; they must be header pins, an expander is too slow for the bit timing. */
public record WiegandWiring(GpioPin d0, GpioPin d1) { }
