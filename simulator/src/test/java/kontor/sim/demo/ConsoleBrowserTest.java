package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kontor.journal.Event;
import kontor.mqtt.Json;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The host console in a real browser: Debian's headless Chromium, driven by Selenium, against the whole
 * demo site (simulated hardware, embedded broker, the console on a free loopback port). Every page is also
 * checked by axe-core, in that browser, for WCAG 2.1 A and AA violations, and photographed for the docs
 * (target/console-screenshots; docs/images holds the copies).
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the photographs last, of a site the other tests have made busy
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path data;

    private DemoCommand.Demo demo;
    private String base;
    private WebDriver browser;
    private String axe;

    @BeforeAll
    void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install chromium chromium-driver");
        }
        // A Tuesday morning: the site is open and every room is free.
        demo = DemoFixture.embedded(data, "2026-12-01T09:55:00");
        base = demo.gateway().http().urls().getFirst().toString().replaceAll("/$", "");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=en-GB");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-GB,en"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @BeforeEach
    void loggedOut() {
        browser.manage().deleteAllCookies();
    }

    private void login(String user, String password) {
        browser.get(base + "/login");
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
        waiting().withMessage(() -> "not logged in: at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
                .until(d -> d.getCurrentUrl().equals(base + "/"));
    }

    private WebDriverWait waiting() {
        // A live page swaps its part under the test's feet: an element found a moment ago may be gone.
        return (WebDriverWait) new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private void click(By what) {
        waiting().until(d -> {
            d.findElement(what).click();
            return true;
        });
    }

    private String flash() {
        return browser.findElement(By.cssSelector(".flash")).getText();
    }

    @Test
    void a_host_logs_in_and_watches_a_room_turn_red_when_a_tap_checks_in() {
        login("host", "demo-host");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Site now");
        WebElement room = browser.findElement(By.id("room-room-1"));
        assertThat(room.getAttribute("data-light")).isEqualTo("green");
        assertThat(room.getText()).contains("Green");

        demo.world().tap("reader-room-1", "04A1B2C3D4E501");

        // No reload: the page hears of the change over SSE and swaps its live part.
        waiting().until(d -> "red".equals(d.findElement(By.id("room-room-1")).getAttribute("data-light")));
        assertThat(browser.findElement(By.id("room-room-1")).getText()).contains("Red").contains("in use")
                .contains("Booked now: ").contains("(" + member(DemoCards.VISITOR) + ")").doesNotContain("04A1B2C3D4E501");
    }

    @Test
    void a_host_acknowledges_an_alarm() {
        // A door opened with its strike locked and nobody let through: forced.
        demo.world().contact("door-room-3", true);
        String alarm = "door.forced:door-room-3";
        login("host", "demo-host");
        browser.get(base + "/alarms");
        waiting().until(d -> !d.findElements(By.id("ack-" + alarm)).isEmpty());
        click(By.id("ack-" + alarm));
        waiting().until(d -> d.findElement(By.id("alarm-" + alarm)).getText().contains("acknowledged by console:host"));
        assertThat(flash()).contains("acknowledged");
        assertThat(demo.gateway().alarms().active()).anySatisfy(a -> {
            assertThat(a.id()).isEqualTo(alarm);
            assertThat(a.acked()).isTrue();
            assertThat(a.ackedBy()).isEqualTo("console:host");
        });
    }

    @Test
    void a_host_tops_up_a_member_found_by_a_tap_at_the_desk_reader() {
        login("host", "demo-host");
        browser.get(base + "/members");
        long before = demo.gateway().journal().lastSeq();
        demo.world().tap("reader-desk", "04A1B2C3D4E502");
        // The tap appears without a reload; it names the member, never the card.
        WebElement link = waiting().until(d -> d.findElements(By.cssSelector("a[id^='tap-']")).stream()
                .filter(a -> Long.parseLong(a.getAttribute("id").substring(4)) > before).findFirst().orElse(null));
        assertThat(browser.getPageSource()).doesNotContain("04A1B2C3D4E502");
        link.click();
        waiting().until(d -> !d.findElements(By.id("balance")).isEmpty());
        String balanceBefore = browser.findElement(By.id("balance")).getText();
        browser.findElement(By.id("amount")).sendKeys("50,00");
        browser.findElement(By.id("top-up")).click();
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("balance is now"));
        assertThat(balanceBefore).isEqualTo("0.00 SEK");
        assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("50.00 SEK");
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "payment.credited", null, null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("amount", 5000).containsEntry("by", "console:host"));
    }

    @Test
    void a_host_opens_a_locker() {
        login("host", "demo-host");
        browser.get(base + "/lockers");
        click(By.id("open-locker-05"));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("the locker is open"));
        List<Event> unlocked = demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "locker.unlocked", "locker-05", null, null);
        assertThat(unlocked).anySatisfy(e -> assertThat(e.fields()).containsEntry("by", "console:host").containsEntry("reason", "host"));
    }

    @Test
    void a_monitor_sees_but_cannot_change_anything_not_even_by_a_forged_post() throws Exception {
        login("monitor", "demo-monitor");
        browser.get(base + "/lockers");
        assertThat(browser.findElements(By.cssSelector("form[action='/lockers/open']"))).isEmpty();
        browser.get(base + "/members?q=m-nothing");
        assertThat(browser.findElements(By.id("top-up"))).isEmpty();
        long before = demo.gateway().journal().lastSeq();
        String csrf = browser.findElement(By.cssSelector("form[action='/logout'] input[name=csrf]")).getAttribute("value");
        // The monitor's own session and a valid CSRF token: still refused.
        String alice = member(DemoCards.VISITOR);
        for (String[] post : List.of(new String[] {"/lockers/open", "locker=locker-02"}, new String[] {"/alarms/ack", "alarm=x"},
                new String[] {"/members/credit", "member=m-x&amount=10"}, new String[] {"/users/add", "name=evil&role=admin&password=aaaaaaaaaaaa&password2=aaaaaaaaaaaa"},
                new String[] {"/members/print_pin", "member=" + alice + "&print_name=evil"},
                new String[] {"/members/email", "member=" + alice + "&email=evil@example.org"},
                new String[] {"/print/cancel", "job=1"}, new String[] {"/print/release", "member=" + alice + "&printer=printer-1"},
                new String[] {"/loans/open", "computer=loan-02"}, new String[] {"/loans/cancel", "booking=x"})) {
            assertThat(post(post[0], "csrf=" + csrf + "&" + post[1])).as(post[0]).isEqualTo(403);
        }
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 50, null, null, null, null))
                .noneMatch(e -> e.seq() > before && (e.type().startsWith("locker.") || e.type().startsWith("payment.")
                        || e.type().startsWith("console.") || e.type().startsWith("member.") || e.type().startsWith("print.")
                        || e.type().startsWith("loan.")));
        // The monitor's pages offer none of the new actions either.
        browser.get(base + "/members?q=" + alice);
        assertThat(browser.findElements(By.cssSelector("form[action='/members/print_pin'], form[action='/members/email']"))).isEmpty();
        browser.get(base + "/printers");
        assertThat(browser.findElements(By.cssSelector("form[action='/print/cancel'], form[action='/print/release']"))).isEmpty();
        browser.get(base + "/lockers");
        assertThat(browser.findElements(By.cssSelector("form[action='/loans/open']"))).isEmpty();
        // And without any session at all.
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/lockers/open"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("locker=locker-02")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void a_wrong_csrf_token_is_refused() {
        login("host", "demo-host");
        browser.get(base + "/lockers");
        long before = demo.gateway().journal().lastSeq();
        assertThat(post("/lockers/open", "csrf=not-the-token&locker=locker-03")).isEqualTo(403);
        assertThat(post("/lockers/open", "locker=locker-03")).isEqualTo(403);
        assertThat(post("/members/print_pin", "csrf=not-the-token&member=" + member(DemoCards.VISITOR) + "&print_name=forged")).isEqualTo(403);
        assertThat(post("/print/cancel", "job=1")).isEqualTo(403);
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 50, "member.print_pin_set", null, null, null))
                .noneMatch(e -> e.seq() > before);
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 50, "locker.unlocked", "locker-03", null, null))
                .noneMatch(e -> e.seq() > before);
    }

    @Test
    void a_host_finds_a_member_by_e_mail_sets_a_print_pin_shown_once_and_a_new_address() throws Exception {
        String bob = member(DemoCards.ACCESSIBLE_VISITOR);
        login("host", "demo-host");
        browser.get(base + "/members");
        browser.findElement(By.id("q")).sendKeys("Bob@Example.org");
        browser.findElement(By.id("q")).submit();
        waiting().until(d -> !d.findElements(By.id("email")).isEmpty());
        // Found by the address, which never went into the URL, and shown only masked.
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/members?q=" + bob).doesNotContain("example");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("b…@example.org");
        assertThat(browser.findElement(By.id("print-login")).getText()).isEqualTo("none");
        assertThat(browser.getPageSource()).doesNotContain("bob@example.org");

        long before = demo.gateway().journal().lastSeq();
        WebElement name = browser.findElement(By.id("print-name"));
        name.sendKeys("bob.print");
        browser.findElement(By.id("set-print-pin")).click();
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("new PIN"));
        Matcher pin = Pattern.compile("new PIN (\\d{6})").matcher(flash());
        assertThat(pin.find()).as(flash()).isTrue();
        assertThat(browser.findElement(By.id("print-login")).getText()).contains("bob.print");
        // The PIN is in that one page only: journaled without it, gone after a reload.
        List<Event> set = demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "member.print_pin_set", null, null, null);
        assertThat(set).anySatisfy(e -> {
            assertThat(e.seq()).isGreaterThan(before);
            assertThat(e.fields()).containsEntry("member", bob).containsEntry("by", "console:host").doesNotContainKey("pin");
        });
        browser.navigate().refresh();
        waiting().until(d -> !d.findElements(By.id("print-login")).isEmpty());
        assertThat(browser.findElements(By.cssSelector(".flash"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("new PIN " + pin.group(1)).doesNotContain("Tell the member now");
        // And it is the PIN the print queue now takes for that name.
        assertThat(printHeld("bob.print", pin.group(1), "a.pdf").status()).isEqualTo(Status.successfulOk);

        browser.findElement(By.id("new-email")).sendKeys("Robert@example.org");
        // The site changes while the host types: the live part is swapped, and the form keeps what was typed.
        WebElement details = browser.findElement(By.id("balance"));
        demo.world().tap("reader-desk", DemoCards.HOST);
        waiting().until(ExpectedConditions.stalenessOf(details));
        assertThat(browser.findElement(By.id("new-email")).getDomProperty("value")).isEqualTo("Robert@example.org");
        browser.findElement(By.id("set-email")).click();
        waiting().until(d -> d.findElement(By.id("email")).getText().equals("r…@example.org"));
        assertThat(flash()).contains("r…@example.org");
        assertThat(browser.getPageSource()).doesNotContainIgnoringCase("robert@example.org");
        browser.get(base + "/members");
        browser.findElement(By.id("q")).sendKeys("robert@example.org");
        browser.findElement(By.id("q")).submit();
        waiting().until(d -> d.getCurrentUrl().equals(base + "/members?q=" + bob));

        // A bad address is refused in words and changes nothing.
        browser.findElement(By.id("new-email")).sendKeys("not-an-address");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('new-email').type = 'text';");
        browser.findElement(By.id("set-email")).click();
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("not an e-mail address"));
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("r…@example.org");
    }

    @Test
    void a_host_sees_the_held_print_queue_live_and_cancels_and_releases_jobs() throws Exception {
        String alice = member(DemoCards.VISITOR);
        login("host", "demo-host");
        browser.get(base + "/printers");
        long first = printHeld(DemoCards.PRINT_NAME, DemoCards.PRINT_PIN, "secret-report.pdf").jobId();
        // It appears without a reload, with its member, pages and state, never its document's name.
        waiting().until(d -> !d.findElements(By.id("job-" + first)).isEmpty());
        assertThat(browser.findElement(By.id("job-" + first)).getText()).contains(alice, "Held", "black and white");
        assertThat(browser.getPageSource()).doesNotContain("secret-report");

        click(By.id("cancel-job-" + first));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("is cancelled"));
        assertThat(browser.findElements(By.id("job-" + first))).isEmpty();
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "print.job_cancelled", null, null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("job", (int) first).containsEntry("by", "console:host"));

        long second = printHeld(DemoCards.PRINT_NAME, DemoCards.PRINT_PIN, "other.pdf").jobId();
        waiting().until(d -> !d.findElements(By.id("release-job-" + second + "-printer-1")).isEmpty());
        click(By.id("release-job-" + second + "-printer-1"));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("sent to printer-1"));
        // Every held job of that member went (another test may have left one), all paid for.
        assertThat(flash()).contains("0 still held");
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "print.job_released", "printer-1", null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("job", (int) second).containsEntry("member", alice));
        // A job no longer held cannot be cancelled: refused in words.
        ((JavascriptExecutor) browser).executeScript("const f = document.createElement('form'); f.method = 'post';"
                + " f.action = '/print/cancel'; for (const [k, v] of [['csrf', arguments[0]], ['job', arguments[1]]]) {"
                + " const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
                + " document.body.appendChild(f); f.submit();", csrf(), String.valueOf(first));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("Not possible now"));
    }

    @Test
    void a_host_sees_the_loan_computers_in_the_lockers_grid_and_opens_a_bay() {
        String alice = member(DemoCards.VISITOR);
        JsonNode booked = command("loan.book", "{\"computer\":\"loan-03\",\"member\":\"" + alice + "\",\"start\":\"2026-12-01T12:00:00+01:00\",\"end\":\"2026-12-01T14:00:00+01:00\"}");
        assertThat(booked.path("ok").asBoolean()).as(booked.toString()).isTrue();
        login("host", "demo-host");
        browser.get(base + "/lockers");
        WebElement bay = browser.findElement(By.id("loan-loan-03"));
        assertThat(bay.getText()).contains("Laptop 3", "Booked by " + alice, "12:00–14:00", "charged");
        assertThat(browser.findElement(By.id("loan-loan-01")).getText()).contains("Free");
        click(By.cssSelector("#loan-loan-03 a"));
        waiting().until(d -> d.findElement(By.id("loans")).getText().contains("loan-03 2026-12-01 12:00–14:00 (booked)"));
        browser.get(base + "/lockers");

        click(By.id("open-loan-01"));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("the bay is open"));
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "locker.unlocked", "loan-01", null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("by", "console:host").containsEntry("reason", "host"));

        click(By.id("cancel-loan-03"));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("loan booking is cancelled"));
        waiting().until(d -> !d.findElement(By.id("loan-loan-03")).getText().contains(alice));
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "loan.released", "loan-03", null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("by", "console:host").containsEntry("reason", "cancelled"));
    }

    @Test
    void a_host_books_a_room_for_a_member_checks_it_in_and_cancels_it() {
        String bob = member(DemoCards.ACCESSIBLE_VISITOR);
        login("host", "demo-host");
        browser.get(base + "/bookings");
        new Select(browser.findElement(By.id("book-room"))).selectByValue("room-2");
        browser.findElement(By.id("book-member")).sendKeys(bob);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("document.getElementById('book-start').value = '10:00'; document.getElementById('book-end').value = '11:00';");
        browser.findElement(By.id("book-end")).submit();
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("the room is booked"));
        JsonNode booking = null;
        for (JsonNode b : command("bookings.list", "{\"room\":\"room-2\"}").path("result").path("bookings")) {
            if (bob.equals(b.path("member").asText())) {
                booking = b;
            }
        }
        assertThat(booking).as("Bob's booking").isNotNull();
        String id = booking.path("id").asText();
        WebElement row = browser.findElement(By.id("check-in-" + id)).findElement(By.xpath("./ancestor::tr"));
        assertThat(row.getText()).contains("10:00–11:00", bob, "no");

        // Five minutes before its start: inside the check-in window, as a tap would be.
        click(By.id("check-in-" + id));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("checked in"));
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "booking.checked_in", "room-2", null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("booking", id).containsEntry("by", "console:host"));

        click(By.id("cancel-" + id));
        waiting().until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("the booking is cancelled"));
        assertThat(browser.findElements(By.id("cancel-" + id))).isEmpty();
        assertThat(demo.gateway().journal().readBack(Long.MAX_VALUE, 5, "booking.released", "room-2", null, null))
                .anySatisfy(e -> assertThat(e.fields()).containsEntry("booking", id).containsEntry("reason", "cancelled"));
    }

    @Test
    void the_visitors_screen_needs_no_log_in_and_shows_rooms_hours_and_people_but_no_names_or_cards() {
        demo.world().tap("reader-entrance", DemoCards.VISITOR);
        browser.get(base + "/screen");
        String text = browser.findElement(By.tagName("main")).getText();
        assertThat(text).contains("Open", "Today: 08:00-22:00", "people present of 40", "Ekorren", "Haren", "Räven");
        assertThat(browser.findElements(By.cssSelector("nav, form"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContainPattern("m-[a-z0-9]{6,}").doesNotContain("04A1B2", "…");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void every_page_passes_axe_at_wcag_2_1_aa_is_light_and_is_photographed() throws Exception {
        browser.get(base + "/screen");
        checkPage("screen");
        browser.get(base + "/login");
        checkPage("login");
        login("admin", "demo-admin");
        demo.world().tap("reader-desk", "04A1B2C3D4E501");
        // A busy site for the photographs (and for axe: every table filled): a held print job, a room booked
        // for the afternoon, a locker taken, an alarm nobody has acknowledged yet.
        printHeld(DemoCards.PRINT_NAME, DemoCards.PRINT_PIN, "for-the-screenshot.pdf");
        command("room.book", "{\"room\":\"room-3\",\"card\":\"" + DemoCards.VISITOR
                + "\",\"start\":\"2026-12-01T14:00:00+01:00\",\"end\":\"2026-12-01T15:00:00+01:00\"}");
        demo.world().tap("reader-bank-a", DemoCards.HOST);
        demo.world().contact("locker-16", true);
        waiting().until(d -> demo.gateway().alarms().active().stream().anyMatch(a -> a.id().equals("locker.forced:locker-16")));
        for (String page : List.of("", "alarms", "lockers", "members", "members?q=", "bookings", "printers", "events", "users")) {
            String target = page.equals("members?q=") ? "members?q=" + firstMember() : page;
            browser.get(base + "/" + target);
            checkPage(page.isEmpty() ? "site" : page.replace("?q=", "-detail"));
        }
    }

    private String member(String card) {
        return command("member.show", "{\"card\":\"" + card + "\"}").path("result").path("member").asText();
    }

    /** A command through the gateway's command layer, as MQTT would send it. */
    private JsonNode command(String name, String body) {
        try {
            String request = "{\"id\":\"test-" + System.nanoTime() + "\"," + body.substring(body.indexOf('{') + 1);
            byte[] reply = demo.gateway().commands().call(name, request.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            return Json.tree(reply);
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    private String csrf() {
        return browser.findElement(By.cssSelector("form[action='/logout'] input[name=csrf]")).getAttribute("value");
    }

    private record Printed(Status status, long jobId) { }

    /** A one-page PDF sent to the held print queue over IPP, as a visitor's laptop would, under {@code docName}. */
    private Printed printHeld(String user, String pin, String docName) throws Exception {
        int port = demo.gateway().http().urls().get(1).getPort();
        URI queue = URI.create("ipp://127.0.0.1:" + port + "/ipp/print");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        IppPacket request = IppPacket.printJob(queue)
                .putOperationAttributes(Types.documentFormat.of("application/pdf"), Types.jobName.of(docName)).build();
        new IppPacket(0x0200, request.getCode(), 1, request.getAttributeGroups()).write(body);
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(body);
        }
        HttpResponse<byte[]> answer;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipp/print"))
                    .header("Content-Type", "application/ipp")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pin).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        IppPacket reply = IppPacket.parse(new ByteArrayInputStream(answer.body()));
        Integer job = reply.getValue(Tag.jobAttributes, Types.jobId);
        return new Printed(reply.getStatus(), job == null ? -1 : job);
    }

    private String firstMember() {
        return demo.gateway().journal().readBack(Long.MAX_VALUE, 10, "card.granted", "reader-desk", null, null)
                .getFirst().fields().get("member").toString();
    }

    @SuppressWarnings("unchecked")
    private void checkPage(String name) throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(axe);
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(' | '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
        assertThat((List<String>) result).as("axe-core on " + name).isEmpty();
        // The page, its script and its style together stay under 100 kB.
        long bytes = (Long) js.executeScript("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                + ".reduce((s, e) => s + (e.decodedBodySize || 0), 0);");
        assertThat(bytes).as(name + " weighs").isLessThan(100_000);
        Path shots = Path.of("target", "console-screenshots");
        Files.createDirectories(shots);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), shots.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A POST from the logged-in browser's own page (its cookie), as a forger with a script on it would send. */
    private int post(String path, String body) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                + " body: arguments[1], redirect: 'manual'}).then(r => done(r.status)).catch(e => done(-1));", path, body);
        return ((Long) status).intValue();
    }
}
