package kontor.device.gpio;

import java.util.Optional;

/** One digital output by meaning: active = relay energised, lamp lit, copier enabled. */
interface OutputLine {

    /** Drives the line; a failure is logged (and shows in the chip's health), never thrown. */
    void set(boolean active);

    boolean active();

    /** The expander the line is on, whose health is the line's. */
    Optional<Mcp23017> chip();

    /** Drives the safe level and lets the line go. Never throws. */
    void close();
}
