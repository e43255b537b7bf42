/** Who may pass: the decision on every card tap, reader lock-out, and the hand-over to each kind of door. */
package kontor.access;
