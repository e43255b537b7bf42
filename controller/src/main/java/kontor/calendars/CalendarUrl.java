package kontor.calendars;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A calendar URL as a person types it, with the user name and password taken out of it: {@code
 * https://kontor:secret@cloud.example/remote.php/dav/calendars/kontor/} becomes the URL without them plus the
 * credentials, kept apart so that only the Authorization header ever sees the password. {@link #toString()}
 * and {@link #redacted()} never show it, so the URL can be printed and logged.
 */
public record CalendarUrl(URI url, String user, String password) {
    public static CalendarUrl parse(String text) {
        URI raw;
        try {
            raw = new URI(text.strip());
        } catch (URISyntaxException e) {
            // The input may hold a password: the message names the problem, not the text.
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        String scheme = raw.getScheme() == null ? "" : raw.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || raw.getHost() == null) {
            throw new IllegalArgumentException("a calendar URL is http:// or https:// with a host");
        }
        String user = null;
        String password = null;
        String info = raw.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            password = colon < 0 ? null : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
        }
        try {
            URI bare = new URI(raw.getScheme(), null, raw.getHost(), raw.getPort(), raw.getPath(), raw.getQuery(), null);
            return new CalendarUrl(bare, user, password);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
    }

    /** This URL with {@code segment + "/"} appended to its path, e.g. a room's collection under a base URL. */
    public CalendarUrl child(String segment) {
        if (!segment.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a path segment: " + segment);
        }
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        return new CalendarUrl(url.resolve((path.endsWith("/") ? path : path + "/") + segment + "/"), user, password);
    }

    /** The URL, with {@code user@} when there is a user, and never the password. */
    /**
     * {@code uri} as messages and logs may show it: scheme, host, port and path, without user info, query or fragment
     * (a published feed's secret token is often in its query).
     */
    public static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?…");
    }

    public String redacted() {
        return user == null ? url.toString() : url.toString().replaceFirst("://", "://" + user + "@");
    }

    @Override
    public String toString() {
        return redacted();
    }
}
