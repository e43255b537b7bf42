/**
 * The kernel every area of the site's rules shares: events and alarms, the devices and their
 * published state, the site context and service contract, the card-tap road, opening times and the
 * topics. It sits below every service and imports none of them.
 */
package kontor.core;
