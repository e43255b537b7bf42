/** Doors and the fire alarm: every strike's normal state, unlocks, forced and held-open alarms, the fail-safe release on fire. */
package kontor.safety;
