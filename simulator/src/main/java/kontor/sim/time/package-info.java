/** The simulator's movable clock: site time that tests and the demo can advance or set. */
package kontor.sim.time;
