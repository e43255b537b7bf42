package kontor.console;

import java.time.Clock;
import java.util.Map;
import kontor.gateway.Gateway;
import kontor.http.HttpRoutes;
import org.eclipse.jetty.server.Handler;

/**
 * The host console: web pages for the people at a site's desk, served by the gateway's one HTTP server
 * at {@code /} (docs/host-console.md). Everything it changes goes through the gateway's command layer,
 * exactly as an MQTT command would ({@code by} is the console user); everything it shows is what the
 * gateway publishes (retained states, alarms) or has journaled. It never runs on the site thread.
 *
 * <p>Give it to the gateway's builder with {@code httpRoutes(console)}; it attaches itself to the gateway
 * when the HTTP server asks for its routes, after the site's services have started.
 */
public final class Console implements HttpRoutes, AutoCloseable {
    private final Accounts accounts;
    private final boolean allowPlainCookies;
    private Gateway gateway;
    private ConsoleHandler handler;

    /**
     * @param accounts          who may log in
     * @param allowPlainCookies whether a session cookie may go without {@code Secure} over plain HTTP
     *                          (the loopback demo only: every other listener is HTTPS)
     */
    public Console(Accounts accounts, boolean allowPlainCookies) {
        this.accounts = accounts;
        this.allowPlainCookies = allowPlainCookies;
    }

    /** The gateway whose site this console shows; before the gateway starts. */
    public Console attach(Gateway gateway) {
        this.gateway = gateway;
        return this;
    }

    @Override
    public synchronized Map<String, Handler> httpRoutes() {
        if (gateway == null) {
            throw new IllegalStateException("the console was not attached to a gateway");
        }
        if (handler == null) {
            handler = new ConsoleHandler(gateway, accounts, new Sessions(Clock.systemUTC()::instant), allowPlainCookies);
        }
        return Map.of("/", handler);
    }

    @Override
    public synchronized void close() {
        if (handler != null) {
            handler.close();
        }
    }
}
