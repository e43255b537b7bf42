package kontor.calendars;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The few CalDAV (RFC 4791) requests Kontor needs against one calendar collection: create it if missing
 * (MKCALENDAR), read the events in a time range (REPORT calendar-query), write one (PUT, guarded by
 * ETags) and remove one (DELETE).
 *
 * <p>Blocking by design: it runs on the calendars' own worker thread, never on the site thread, and every
 * response is read bounded in size and time ({@link BoundedBody}), so a slow or hostile server costs that worker
 * some seconds and nothing else. The credentials live
 * only in the Authorization header; {@link #toString()} shows the collection without them.
 */
public final class CalDavClient {
    private static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    private static final String DAV = "DAV:";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final URI collection;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    /** A response, its body read whole (at most {@link BoundedBody#MAX_BYTES}). */
    private record Answer(int statusCode, HttpHeaders headers, String body) { }

    /** A calendar resource as the server holds it. */
    public record Resource(URI href, String etag, String icalendar) {
    }

    /** The server answered, but not as hoped; {@code status} is the HTTP status (412: the ETag moved on). */
    public static final class CalDavException extends IOException {
        private final int status;

        CalDavException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        public boolean preconditionFailed() {
            return status == 412;
        }
    }

    /**
     * @param collection the collection's URL, ending in {@code /}, without user info
     * @param user       null for no authentication
     */
    public CalDavClient(URI collection, String user, String password, Duration timeout) {
        Objects.requireNonNull(collection, "collection");
        if (collection.getUserInfo() != null) {
            throw new IllegalArgumentException("give the credentials apart from the URL");
        }
        String path = collection.getPath() == null || collection.getPath().isEmpty() ? "/" : collection.getPath();
        this.collection = path.endsWith("/") ? collection : collection.resolve(path + "/");
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI collection() {
        return collection;
    }

    /** Creates the collection with MKCALENDAR unless it already exists; true if it was created. */
    public boolean createIfMissing() throws IOException {
        Answer probe = send(request(collection).header("Depth", "0")
                .method("PROPFIND", body("""
                        <?xml version="1.0" encoding="utf-8"?>
                        <d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>""")));
        if (probe.statusCode() == 207) {
            return false;
        }
        if (probe.statusCode() != 404) {
            throw failure("PROPFIND", probe);
        }
        Answer made = send(request(collection).method("MKCALENDAR", body("""
                <?xml version="1.0" encoding="utf-8"?>
                <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
                <c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>
                </d:prop></d:set></c:mkcalendar>""")));
        if (made.statusCode() != 201) {
            throw failure("MKCALENDAR", made);
        }
        return true;
    }

    /** Every event resource with an instance overlapping [{@code from}, {@code to}), whole (masters and overrides). */
    public List<Resource> events(Instant from, Instant to) throws IOException {
        Answer r = send(request(collection).header("Depth", "1").method("REPORT", body("""
                <?xml version="1.0" encoding="utf-8"?>
                <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
                <d:prop><d:getetag/><c:calendar-data/></d:prop>
                <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
                <c:time-range start="%s" end="%s"/>
                </c:comp-filter></c:comp-filter></c:filter></c:calendar-query>""".formatted(UTC.format(from), UTC.format(to)))));
        if (r.statusCode() != 207) {
            throw failure("REPORT", r);
        }
        return parseMultistatus(r.body());
    }

    /**
     * Writes one resource. With {@code etag} null the resource must not exist yet (If-None-Match: *), so a
     * new booking never overwrites someone else's event; otherwise it must still be that version (If-Match).
     *
     * @return the new ETag, or null when the server does not say
     */
    public String put(URI href, String icalendar, String etag) throws IOException {
        HttpRequest.Builder b = request(href).header("Content-Type", "text/calendar; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(icalendar, StandardCharsets.UTF_8));
        b.header(etag == null ? "If-None-Match" : "If-Match", etag == null ? "*" : etag);
        Answer r = send(b);
        if (r.statusCode() != 201 && r.statusCode() != 204 && r.statusCode() != 200) {
            throw failure("PUT", href, r);
        }
        return r.headers().firstValue("ETag").orElse(null);
    }

    /** Removes one resource if it is still at {@code etag} (any version when null). */
    public void delete(URI href, String etag) throws IOException {
        HttpRequest.Builder b = request(href).DELETE();
        if (etag != null) {
            b.header("If-Match", etag);
        }
        Answer r = send(b);
        if (r.statusCode() != 204 && r.statusCode() != 200 && r.statusCode() != 404) {
            throw failure("DELETE", href, r);
        }
    }

    /** The URL for a new resource named after an event's UID (made safe for a path segment). */
    public URI resourceFor(String uid) {
        return collection.resolve(uid.replaceAll("[^A-Za-z0-9._-]", "_") + ".ics");
    }

    @Override
    public String toString() {
        return "CalDAV " + collection;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static HttpRequest.BodyPublisher body(String xml) {
        return HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8);
    }

    private Answer send(HttpRequest.Builder b) throws IOException {
        if (b.build().headers().firstValue("Content-Type").isEmpty()) {
            b.header("Content-Type", "application/xml; charset=utf-8");
        }
        HttpRequest request = b.build();
        HttpResponse<byte[]> r;
        try {
            r = BoundedBody.send(http, request, BoundedBody.MAX_BYTES);
        } catch (HttpTimeoutException | BoundedBody.TooLarge hostile) {
            throw hostile; // sent twice, it would cost twice
        } catch (IOException closed) {
            // A server may close a kept-alive connection after refusing a request (Radicale does after a
            // 412) and the pool hands it out once more. Every request here is safe to send twice: reads
            // are reads, and writes carry If-Match / If-None-Match, so a repeat cannot overwrite anything.
            r = BoundedBody.send(http, request, BoundedBody.MAX_BYTES);
        }
        return new Answer(r.statusCode(), r.headers(), new String(r.body(), StandardCharsets.UTF_8));
    }

    private CalDavException failure(String what, Answer r) {
        return failure(what, collection, r);
    }

    private static CalDavException failure(String what, URI target, Answer r) {
        // The body is not quoted: a server's error page may echo the request, and with it the credentials.
        return new CalDavException(r.statusCode(), what + " " + target + " answered HTTP " + r.statusCode());
    }

    private List<Resource> parseMultistatus(String xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // A calendar server is not trusted with the gateway's files: no DTDs, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("REPORT " + collection + ": unreadable multistatus", e);
        }
        List<Resource> out = new ArrayList<>();
        NodeList responses = doc.getElementsByTagNameNS(DAV, "response");
        for (int i = 0; i < responses.getLength(); i++) {
            Element response = (Element) responses.item(i);
            String href = text(response, DAV, "href");
            String data = text(response, CALDAV, "calendar-data");
            if (href == null || data == null || data.isBlank()) {
                continue;
            }
            out.add(new Resource(collection.resolve(href.strip()), text(response, DAV, "getetag"), data));
        }
        return out;
    }

    private static String text(Element parent, String ns, String name) {
        NodeList l = parent.getElementsByTagNameNS(ns, name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }
}
