/**
 * The gateway's one HTTP server (Jetty 12, its core API): each surface that speaks HTTP (the host
 * console, the IPP print queue, calendar feeds) is a route on it. It never runs on the site thread.
 */
package kontor.http;
