package kontor.calendars;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * Reads a published iCalendar feed (read-only: LibreBooking, Nextcloud's public link, an Exchange/Outlook
 * published calendar). Conditional GETs (ETag / Last-Modified) spare the booking system and the Pi's
 * network; redirects are followed only to https or to the same scheme, never from https down to http.
 * Blocking, bounded in size and time ({@link BoundedBody}), like {@link CalDavClient}: it runs on the calendars'
 * worker, never the site thread.
 */
public final class IcsFeedClient {
    private final URI feed;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private String etag;
    private String lastModified;
    private String lastBody;

    public IcsFeedClient(URI feed, String user, String password, Duration timeout) {
        Objects.requireNonNull(feed, "feed");
        if (feed.getUserInfo() != null) {
            throw new IllegalArgumentException("give the credentials apart from the URL");
        }
        String scheme = feed.getScheme() == null ? "" : feed.getScheme().toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("a calendar feed is an http or https URL");
        }
        this.feed = feed;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        // Published feeds often redirect; a feed with credentials does not follow one, so that they never go
        // to a server the site did not name.
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(authorization == null ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER).build();
    }

    /** The feed's text: fetched anew, or the last one when the server says it has not changed (304). */
    public synchronized String fetch() throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(feed).timeout(timeout).GET().header("Accept", "text/calendar");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (lastBody != null && etag != null) {
            b.header("If-None-Match", etag);
        }
        if (lastBody != null && lastModified != null) {
            b.header("If-Modified-Since", lastModified);
        }
        // Bounded in size and time as it arrives: a feed that never ends, or trickles, costs the worker seconds.
        HttpResponse<byte[]> r = BoundedBody.send(http, b.build(), BoundedBody.MAX_BYTES);
        if (r.statusCode() == 304 && lastBody != null) {
            return lastBody;
        }
        if (r.statusCode() != 200) {
            throw new CalDavClient.CalDavException(r.statusCode(), "GET " + CalendarUrl.shown(feed) + " answered HTTP " + r.statusCode());
        }
        lastBody = new String(r.body(), StandardCharsets.UTF_8);
        etag = r.headers().firstValue("ETag").orElse(null);
        lastModified = r.headers().firstValue("Last-Modified").orElse(null);
        return lastBody;
    }

    @Override
    public String toString() {
        return "iCalendar feed " + CalendarUrl.shown(feed);
    }
}
