/** The CoAP front (Californium, Scandium DTLS PSK): site and room state for door displays, reports from battery nodes. */
package kontor.coap;
