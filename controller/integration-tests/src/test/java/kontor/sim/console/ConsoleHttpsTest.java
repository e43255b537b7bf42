package kontor.sim.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kontor.console.Accounts;
import kontor.console.Console;
import kontor.console.Role;
import kontor.http.HttpFront;
import kontor.sim.demo.SimulatedSite;
import kontor.time.SimulatedTime;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import kontor.tls.PemTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as a site runs it: HTTPS with the site's certificate, and an attacker's view of it
 * (a plain HTTP client, no browser to keep it honest).
 */
class ConsoleHttpsTest {
    private static final String PASSWORD = "a long passphrase";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    private SimulatedSite world;
    private Console console;
    private URI base;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-subj", "/CN=kontor-test", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();

        Path data = dir.resolve("data");
        Accounts accounts = new Accounts(data);
        accounts.put("anna", Role.HOST, PASSWORD.toCharArray());
        console = new Console(accounts, false);
        var site = SiteFiles.demo();
        SimulatedTime time = SimulatedTime.frozen(LocalDateTime.of(2026, 12, 1, 9, 0).atZone(site.zone()).toInstant());
        InMemoryMqtt mqtt = new InMemoryMqtt();
        world = SimulatedSite.start(site, data, time, time, will -> mqtt, null, true, kontor.time.ClockSync.ALWAYS,
                List.of(HttpFront.Listener.tls("127.0.0.1", 0, new HttpFront.Tls(cert, key))), console);
        base = world.gateway().http().urls().getFirst();
        client = HttpClient.newBuilder().sslContext(PemTls.sslContext(cert, null, null)).cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void the_session_cookie_is_secure_http_only_and_same_site_strict_over_https() throws Exception {
        HttpResponse<String> login = post("/login", "user=anna&password=" + enc(PASSWORD));
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("kontor_session=").contains("Secure").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void five_wrong_passwords_pause_the_account_and_raise_an_alarm() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post("/login", "user=anna&password=wrong" + i).statusCode()).isEqualTo(401);
        }
        // Now even the right password is refused, for a while.
        HttpResponse<String> paused = post("/login", "user=anna&password=" + enc(PASSWORD));
        assertThat(paused.statusCode()).isEqualTo(429);
        assertThat(paused.body()).contains("paused");
        org.awaitility.Awaitility.await().until(() -> world.gateway().alarms().isActive("console.login_paused", "console:anna"));
    }

    @Test
    void a_change_from_another_origin_is_refused_even_with_session_and_token() throws Exception {
        post("/login", "user=anna&password=" + enc(PASSWORD));
        String csrf = csrf(get("/lockers").body());
        long before = world.gateway().journal().lastSeq();
        HttpResponse<String> forged = post("/lockers/open", "csrf=" + csrf + "&locker=locker-04", "Origin", "https://evil.example");
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> own = post("/lockers/open", "csrf=" + csrf + "&locker=locker-04", "Origin", base.toString().replaceAll("/$", ""));
        assertThat(own.statusCode()).isEqualTo(303);
        assertThat(world.gateway().journal().readBack(Long.MAX_VALUE, 20, "locker.unlocked", "locker-04", null, null))
                .hasSize(1).allMatch(e -> e.seq() > before && "console:anna".equals(e.fields().get("by")));
    }

    @Test
    void a_card_number_is_looked_up_by_post_and_never_lands_in_a_url_or_a_page() throws Exception {
        post("/login", "user=anna&password=" + enc(PASSWORD));
        String csrf = csrf(get("/members").body());
        HttpResponse<String> found = post("/members/find", "csrf=" + csrf + "&q=04A1B2C3D4E501");
        assertThat(found.statusCode()).isEqualTo(303);
        String location = found.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/members?q=m-").doesNotContain("E501");
        HttpResponse<String> member = get(location);
        assertThat(member.body()).contains("100.00 SEK").doesNotContain("04A1B2C3D4E501");
        // A card number in a URL is not looked up.
        assertThat(get("/members?q=04A1B2C3D4E501").body()).doesNotContain("100.00 SEK");
    }

    @Test
    void an_address_is_looked_up_by_post_only_and_a_print_pin_is_in_one_page_only() throws Exception {
        post("/login", "user=anna&password=" + enc(PASSWORD));
        String csrf = csrf(get("/members").body());
        HttpResponse<String> found = post("/members/find", "csrf=" + csrf + "&q=" + enc("Alice@example.org"));
        String location = found.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/members?q=m-").doesNotContain("alice");
        assertThat(get(location).body()).contains("a…@example.org").doesNotContain("alice@example.org");
        assertThat(get("/members?q=" + enc("alice@example.org")).body()).doesNotContain("100.00 SEK");

        String member = location.substring("/members?q=".length());
        HttpResponse<String> set = post("/members/print_pin", "csrf=" + csrf + "&member=" + member + "&print_name=alice.p");
        assertThat(set.statusCode()).isEqualTo(303);
        assertThat(set.headers().firstValue("Location")).contains(location);
        // Another tab's live refresh, arriving first, leaves the message to the page it was meant for.
        assertThat(get("/printers", "HX-Request", "true").body()).doesNotContain("new PIN");
        Matcher pin = Pattern.compile("new PIN (\\d{6})").matcher(get(location).body());
        assertThat(pin.find()).as("the PIN, in the page after the change").isTrue();
        // Only that once: not in the next page, not in the journal.
        assertThat(get(location).body()).doesNotContain("new PIN " + pin.group(1)).contains("print name alice.p");
        assertThat(world.gateway().journal().readBack(Long.MAX_VALUE, 5, "member.print_pin_set", null, null, null))
                .singleElement().satisfies(e -> assertThat(e.fields()).containsOnlyKeys("member", "by").containsEntry("by", "console:anna"));
    }

    @Test
    void a_print_queue_longer_than_one_page_says_in_words_that_more_are_waiting() throws Exception {
        post("/login", "user=anna&password=" + enc(PASSWORD));
        String csrf = csrf(get("/members").body());
        String location = post("/members/find", "csrf=" + csrf + "&q=04A1B2C3D4E501").headers().firstValue("Location").orElseThrow();
        String member = location.substring("/members?q=".length());
        holdJobs(member, 200);
        String page = get("/printers").body();
        assertThat(Pattern.compile("<tr id=\"job-").matcher(page).results().count()).isEqualTo(200);
        assertThat(page).as("all of the queue is listed").doesNotContain("id=\"queue-more\"");

        holdJobs(member, 1);
        page = get("/printers").body();
        assertThat(Pattern.compile("<tr id=\"job-").matcher(page).results().count()).as("one page").isEqualTo(200);
        assertThat(page).contains("<p id=\"queue-more\">Only the oldest 200 jobs are listed: more are waiting.");
        assertThat(get("/printers", "Accept-Language", "sv").body()).contains("Bara de 200 äldsta utskrifterna visas: fler väntar.");
    }

    /** Puts {@code count} held one-page jobs of {@code member} in the queue (as many uploads would, without them). */
    private void holdJobs(String member, int count) {
        java.time.Instant now = world.gateway().scheduler().now();
        world.gateway().context().db().inTransaction(tx -> {
            try (java.sql.PreparedStatement p = tx.connection().prepareStatement(
                    "INSERT INTO print_jobs (member_id, status, name, format, colour, pages, size_bytes, created) "
                            + "VALUES (?, 'held', 'doc.pdf', 'application/pdf', FALSE, 1, 1000, ?)")) {
                for (int i = 0; i < count; i++) {
                    p.setString(1, member);
                    kontor.store.SqlTime.set(p, 2, now);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    @Test
    void the_visitors_screen_needs_no_login_speaks_swedish_and_shows_no_one() throws Exception {
        HttpResponse<String> screen = get("/screen", "Accept-Language", "sv-SE,sv;q=0.9,en;q=0.5");
        assertThat(screen.statusCode()).isEqualTo(200);
        assertThat(screen.body()).contains("lang=\"sv\"").contains("Rum och öppettider").contains("Ekorren").contains("Ledigt")
                .doesNotContain("m-").doesNotContain("04A1");
        assertThat(get("/").statusCode()).isEqualTo(303);
        assertThat(get("/login", "Accept-Language", "en").body()).contains("Log in");
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

}
