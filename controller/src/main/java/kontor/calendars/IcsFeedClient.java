package kontor.calendars;

import java.io.IOException;
import java.io.InputStream;
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
 * Blocking with a timeout, like {@link CalDavClient}: it runs on the calendars' worker, never the site thread.
 */
public final class IcsFeedClient {
    /** Feeds larger than this are refused: a room's calendar is kilobytes, not a denial of service. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

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
        HttpResponse<InputStream> r;
        byte[] body;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        // Read at most one byte past the limit: a feed that never ends must not fill the Pi's memory first.
        try (InputStream in = r.body()) {
            if (r.statusCode() == 304 && lastBody != null) {
                return lastBody;
            }
            if (r.statusCode() != 200) {
                throw new CalDavClient.CalDavException(r.statusCode(), "GET " + feed + " answered HTTP " + r.statusCode());
            }
            body = in.readNBytes(MAX_BYTES + 1);
        }
        if (body.length > MAX_BYTES) {
            throw new IOException("GET " + feed + ": the feed is larger than " + MAX_BYTES + " bytes");
        }
        lastBody = new String(body, StandardCharsets.UTF_8);
        etag = r.headers().firstValue("ETag").orElse(null);
        lastModified = r.headers().firstValue("Last-Modified").orElse(null);
        return lastBody;
    }

    @Override
    public String toString() {
        return "iCalendar feed " + feed;
    }
}
