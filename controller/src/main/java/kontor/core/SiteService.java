package kontor.core;

import kontor.device.Signal;
import kontor.mqtt.CommandServer;

/**
 * One area of the site's rules (lockers, rooms, the entrance, copying …). The gateway calls every
 * method on the site thread, so a service needs no locks of its own.
 */
public interface SiteService {

    /** Registers this service's operator commands. Called once, before {@link #start()}. */
    default void registerCommands(CommandServer server) { }

    /** The gateway has started: publish retained state, arm timers, catch up with what happened while down. */
    default void start() { }

    /** A device signal, after the gateway's own bookkeeping (device state, availability, events). */
    default void onSignal(Signal signal) { }

    /** The site just opened (opening hours), or was open when the gateway started. */
    default void onOpened() { }

    /** The site just closed, or closed while the gateway was down. */
    default void onClosed() { }
}
