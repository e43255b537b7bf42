/** Lockers: day lockers claimed by a tap, rental lockers assigned by hosts, deposits, and the locks' hardware truth. */
package kontor.lockers;
