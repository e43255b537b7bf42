/**
 * The fleet directory at a site (docs/fleet.md): members an owner issues once for every office, carried as
 * signed, versioned, retained messages on the owner's MQTT cluster and applied here durably and in order.
 * The owner's side (import, revoke, status) is {@code kontor fleet}, in the provisioning module.
 */
package kontor.fleet;
