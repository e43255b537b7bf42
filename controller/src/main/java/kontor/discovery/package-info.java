/** Home Assistant (and openHAB) MQTT discovery: one retained config per entity, so the site appears with no configuration. */
package kontor.discovery;
