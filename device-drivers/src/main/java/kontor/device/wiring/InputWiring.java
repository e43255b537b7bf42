package kontor.device.wiring;

import java.time.Duration;

/** A debounced digital input (contact: active = open; button: pressed; PIR: motion; fire: active). */
public record InputWiring(Pin pin, Duration debounce) {
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(10);

    public InputWiring(Pin pin) {
        this(pin, DEFAULT_DEBOUNCE);
    }
}
