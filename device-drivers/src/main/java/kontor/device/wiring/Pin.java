package kontor.device.wiring;

/**
 * One digital line. {@code activeLow} says that the line's active meaning (relay on, door open,
 * button pressed, motion, fire) is the LOW level.
 */
public sealed interface Pin permits GpioPin, ExpanderPin {
    boolean activeLow();

    /** Where the pin is, for messages and the wiring table, e.g. {@code GPIO17} or {@code mcp23017@1:0x20/B3}. */
    String describe();
}
