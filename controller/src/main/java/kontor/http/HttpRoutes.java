package kontor.http;

import java.util.Map;
import org.eclipse.jetty.server.Handler;

/**
 * A part of the gateway that answers over HTTP (the print queue, the console, a free/busy feed).
 * The gateway collects the routes of every part that has some and serves them all on its one
 * {@link HttpFront}. Handlers run on the HTTP server's threads, never on the site thread.
 */
public interface HttpRoutes {
    /** Context path (e.g. {@code "/ipp"}, {@code "/"}) → handler. Paths must not clash between parts. */
    Map<String, Handler> httpRoutes();
}
