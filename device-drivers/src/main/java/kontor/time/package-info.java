/** Time as the gateway sees it: one injected clock and scheduler, so the simulator can move time. */
package kontor.time;
