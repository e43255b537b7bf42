/** TLS from the PEM files provisioning writes: the broker connection's trust and the gateway's HTTPS key. */
package kontor.tls;
