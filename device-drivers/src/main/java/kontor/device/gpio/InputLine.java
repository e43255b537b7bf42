package kontor.device.gpio;

import java.util.Optional;

/** One debounced digital input by meaning: active = door open, button pressed, motion, fire, pulse. */
interface InputLine {

    /** Called with the new debounced meaning, on the thread that saw the change. */
    interface Listener {
        void changed(boolean active);
    }

    boolean active();

    Optional<Mcp23017> chip();

    /** Stops reporting and lets the line go. Never throws. */
    void close();
}
