/**
 * Time as the gateway sees it: one injected clock and scheduler. Production runs on {@link kontor.time.SystemScheduler};
 * every test and {@code kontor demo --clock} run on {@link kontor.time.SimulatedTime}, the one clock that can be moved.
 */
package kontor.time;
