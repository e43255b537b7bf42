/** What an installer runs before and around a site: checking its site file, credentials, card import, install. */
package kontor.provisioning;
