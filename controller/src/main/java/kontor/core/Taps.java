package kontor.core;

/**
 * Where a service says what happens behind a reader. Every tap takes one road: the reader's signal
 * reaches the card check like any other signal; a valid card is then put to the {@link TapDecider}
 * registered for that reader, and the decision is journaled before anything moves.
 */
public interface Taps {

    /** Valid cards tapped at {@code reader} are decided by {@code decider}; one decider per reader. */
    void decideAt(String reader, TapDecider decider);
}
