/**
 * The composition root: {@link kontor.gateway.Gateway} builds every part of a site in its start-up
 * order and closes them in reverse, and the gateway's own commands (info, devices, members, alarms,
 * replay). Nothing below imports this package.
 */
package kontor.gateway;
