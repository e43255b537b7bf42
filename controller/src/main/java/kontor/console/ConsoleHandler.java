package kontor.console;

import kontor.members.PasswordHash;
import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kontor.console.Views.AlarmView;
import kontor.console.Views.AlarmsView;
import kontor.console.Views.BankView;
import kontor.console.Views.BookingView;
import kontor.console.Views.BookingsView;
import kontor.console.Views.DeviceView;
import kontor.console.Views.DoorView;
import kontor.console.Views.EventView;
import kontor.console.Views.EventsView;
import kontor.console.Views.Kv;
import kontor.console.Views.LoanBankView;
import kontor.console.Views.LoanView;
import kontor.console.Views.LockerView;
import kontor.console.Views.LockersView;
import kontor.console.Views.MemberView;
import kontor.console.Views.MembersView;
import kontor.console.Views.Page;
import kontor.console.Views.PrintJobView;
import kontor.console.Views.PrintersView;
import kontor.console.Views.RoomDay;
import kontor.console.Views.RoomView;
import kontor.console.Views.ScreenRoom;
import kontor.console.Views.ScreenView;
import kontor.console.Views.SiteView;
import kontor.console.Views.UserView;
import kontor.console.Views.UsersView;
import kontor.gateway.Gateway;
import kontor.journal.Event;
import kontor.mqtt.Json;
import kontor.site.CopierSpec;
import kontor.site.DeviceSpec;
import kontor.site.DoorSpec;
import kontor.site.LoanBank;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerBank;
import kontor.site.LockerSpec;
import kontor.site.PrinterSpec;
import kontor.site.ReaderSpec;
import kontor.site.Room;
import kontor.site.Site;
import kontor.site.TimeRange;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages and actions. GETs render a page from published state and the journal; POSTs are
 * changes: each needs a live session, its role, and the session's CSRF token, and becomes one command on
 * the gateway's command layer. Then the browser is sent back to the page (303), which says what happened
 * in words.
 *
 * <p>Who may do what: anyone may see the visitors' screen ({@code /screen}), the log-in page, the
 * static assets and the change stream ({@code /live}, which says only that something changed); a
 * {@code monitor} sees every other page; a {@code host} also acts (ack, open, release, top up, enrol,
 * revoke, book, cancel, end a copier session); an {@code admin} also manages accounts.
 */
final class ConsoleHandler extends Handler.Abstract implements AutoCloseable, Graceful {
    private static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);
    static final String COOKIE = "kontor_session";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int EVENTS_PAGE = 50;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The static files, from the jar: htmx and its SSE extension (WebJars), our style sheet. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "/assets/htmx.min.js", Asset.of("META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js", "text/javascript"),
            "/assets/sse.js", Asset.of("META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js", "text/javascript"),
            "/assets/console.css", Asset.of("kontor/console/console.css", "text/css"));

    private final Gateway gateway;
    private final Site site;
    private final ZoneId zone;
    private final Accounts accounts;
    private final Sessions sessions;
    /** The log-in's password checks: hashed apart from the print queue's PINs, at most a few per client address. */
    private final PasswordHash.Surface logins = new PasswordHash.Surface();
    private final boolean allowPlainCookies;
    private final Live live = new Live();
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    /** One message per session for the page it is sent back to. */
    private final Map<String, Flash> flashes = new ConcurrentHashMap<>();
    private final List<String> deskReaders;

    private record Flash(String text, boolean error) { }

    private record Asset(byte[] bytes, String type) {
        static Asset of(String resource, String type) {
            try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the class path");
                }
                return new Asset(in.readAllBytes(), type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    ConsoleHandler(Gateway gateway, Accounts accounts, Sessions sessions, boolean allowPlainCookies) {
        this.gateway = gateway;
        this.site = gateway.site();
        this.zone = site.zone();
        this.accounts = accounts;
        this.sessions = sessions;
        this.allowPlainCookies = allowPlainCookies;
        this.deskReaders = site.devices().stream().filter(d -> d instanceof ReaderSpec r && r.desk()).map(DeviceSpec::id).toList();
        gateway.context().retained().onChange((topic, value) -> live.changed());
        gateway.journal().onAppend(live::changed);
    }

    @Override
    public void close() {
        live.close();
    }

    /** The server is stopping: end the change streams now, or it waits its whole stop timeout for them. */
    @Override
    public CompletableFuture<Void> shutdown() {
        live.close();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return true;
    }

    // ---- dispatch

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        securityHeaders(response);
        try {
            Asset asset = ASSETS.get(path);
            if (asset != null && method.equals("GET")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.type() + ";charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=86400");
                response.write(true, ByteBuffer.wrap(asset.bytes()), callback);
                return true;
            }
            Strings strings = Strings.forAcceptLanguage(request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
            if (path.equals("/live") && method.equals("GET")) {
                return live.open(request, response, callback);
            }
            if (path.equals("/screen") && method.equals("GET")) {
                page(response, callback, "console/screen.jte", new Page(strings, strings.t("screen.title"), "screen",
                        site.name(), null, null, null, null, false), screen());
                return true;
            }
            if (path.equals("/login")) {
                if (method.equals("POST")) {
                    login(request, response, callback, strings);
                } else {
                    loginPage(response, callback, strings, null, 200);
                }
                return true;
            }
            Optional<Sessions.Session> session = sessions.find(cookie(request));
            if (session.isEmpty()) {
                if (method.equals("GET")) {
                    redirect(response, callback, "/login");
                } else {
                    text(response, callback, 401, strings.t("error.login_needed"));
                }
                return true;
            }
            Sessions.Session s = session.get();
            if (method.equals("POST")) {
                post(request, response, callback, strings, s, path);
            } else if (method.equals("GET") || method.equals("HEAD")) {
                get(request, response, callback, strings, s, path);
            } else {
                text(response, callback, 405, "method not allowed");
            }
        } catch (RuntimeException e) {
            log.error("The console failed on {} {}", method, path, e);
            text(response, callback, 500, "The console failed; see the gateway's log.");
        }
        return true;
    }

    private void get(Request request, Response response, Callback callback, Strings strings, Sessions.Session s, String path) {
        Fields q = Request.extractQueryParameters(request);
        // A live refresh (htmx) swaps only the live part, never the message: it must not take the message (a new print
        // PIN, shown once) from the page the host is about to see.
        boolean live = request.getHeaders().get("HX-Request") != null;
        switch (path) {
            case "/" -> page(response, callback, "console/site.jte", page(strings, s, live, "site"), siteNow());
            case "/alarms" -> page(response, callback, "console/alarms.jte", page(strings, s, live, "alarms"), alarms());
            case "/lockers" -> page(response, callback, "console/lockers.jte", page(strings, s, live, "lockers"), lockers());
            case "/members" -> page(response, callback, "console/members.jte", page(strings, s, live, "members"), members(q, strings));
            case "/bookings" -> page(response, callback, "console/bookings.jte", page(strings, s, live, "bookings"), bookings(q));
            case "/printers" -> page(response, callback, "console/printers.jte", page(strings, s, live, "printers"), printers());
            case "/events" -> page(response, callback, "console/events.jte", page(strings, s, live, "events"), events(q));
            case "/users" -> {
                if (!s.role().atLeast(Role.ADMIN)) {
                    text(response, callback, 403, strings.t("error.forbidden"));
                } else {
                    page(response, callback, "console/users.jte", page(strings, s, live, "users"), users());
                }
            }
            default -> text(response, callback, 404, strings.t("error.not_found"));
        }
    }

    // ---- changes

    private void post(Request request, Response response, Callback callback, Strings strings, Sessions.Session s, String path) {
        if (!sameOrigin(request)) {
            refuseUnread(response, callback, strings.t("error.origin"));
            return;
        }
        Fields form = FormFields.getFields(request);
        if (!constantTimeEquals(form.getValue("csrf"), s.csrf())) {
            text(response, callback, 403, strings.t("error.csrf"));
            return;
        }
        if (path.equals("/members/find")) {
            findMember(response, callback, form, strings, s);
            return;
        }
        if (path.equals("/logout")) {
            sessions.end(s.token());
            flashes.remove(s.token());
            expireCookie(request, response);
            redirect(response, callback, "/login");
            return;
        }
        Role needed = path.startsWith("/users/") ? Role.ADMIN : Role.HOST;
        if (!s.role().atLeast(needed)) {
            text(response, callback, 403, strings.t("error.forbidden"));
            return;
        }
        String[] parts = path.split("/");
        String back = switch (parts.length > 1 ? parts[1] : "") {
            case "alarms" -> "/alarms";
            case "lockers", "loans" -> "/lockers";
            case "members" -> "/members";
            case "bookings" -> "/bookings";
            case "copiers", "print" -> "/printers";
            case "users" -> "/users";
            default -> null;
        };
        if (back == null) {
            text(response, callback, 404, strings.t("error.not_found"));
            return;
        }
        String by = "console:" + s.user();
        Flash flash;
        try {
            flash = switch (path) {
                case "/alarms/ack" -> command("alarm.ack", strings, "done.ack", fields("alarm", required(form, "alarm", strings), "by", by));
                case "/lockers/open" -> command("locker.open", strings, "done.open", fields("locker", required(form, "locker", strings), "by", by));
                case "/lockers/release" -> command("locker.release", strings, "done.release", fields("locker", required(form, "locker", strings), "by", by));
                case "/members/credit" -> {
                    String member = required(form, "member", strings);
                    back = "/members?q=" + enc(member);
                    yield command("member.credit", strings, "done.credit",
                            fields("member", member, "amount", minorUnits(required(form, "amount", strings), strings), "by", by));
                }
                case "/members/refund" -> {
                    String member = required(form, "member", strings);
                    back = "/members?q=" + enc(member);
                    yield command("member.refund", strings, "done.refund",
                            fields("member", member, "amount", minorUnits(required(form, "amount", strings), strings), "by", by));
                }
                case "/members/email" -> {
                    String member = required(form, "member", strings);
                    back = "/members?q=" + enc(member);
                    Map<String, Object> body = new HashMap<>(fields("member", member, "by", by));
                    // "remove" takes the address away (null); otherwise one is required, never a blank by mistake.
                    body.put("email", form.getValue("remove") != null ? null : required(form, "email", strings));
                    yield command("member.email", strings, body, result -> result.path("email").isTextual()
                            ? strings.t("done.email", result.path("email").asText()) : strings.t("done.email_removed"));
                }
                case "/members/print_pin" -> {
                    String member = required(form, "member", strings);
                    back = "/members?q=" + enc(member);
                    // The PIN is in the reply only: shown once in this flash (kept in memory until the page that
                    // shows it is rendered), never logged, never in a URL, and not on the page after a reload.
                    yield command("member.print_pin", strings, fields("member", member, "name", required(form, "print_name", strings), "by", by),
                            result -> strings.t("done.print_pin", result.path("name").asText(), result.path("pin").asText()));
                }
                case "/members/enrol_next" -> command("card.enroll_next", strings, "done.enrol_next",
                        fields("reader", required(form, "reader", strings), "by", by));
                case "/bookings/check_in" -> {
                    String date = form.getValue("date");
                    if (date != null && !date.isBlank()) {
                        back = "/bookings?date=" + enc(date);
                    }
                    yield command("booking.check_in", strings, "done.check_in", fields("booking", required(form, "booking", strings), "by", by));
                }
                case "/members/enrol" -> command("card.enroll", strings, "done.enrol", fields("card", required(form, "card", strings),
                        "role", Optional.ofNullable(form.getValue("role")).filter(r -> !r.isBlank()).orElse("visitor"),
                        "valid_until", blankToNull(form.getValue("valid_until")), "by", by));
                case "/members/revoke" -> command("card.revoke", strings, "done.revoke", fields("card", required(form, "card", strings), "by", by));
                case "/bookings/book" -> {
                    String date = required(form, "date", strings);
                    back = "/bookings?date=" + enc(date);
                    String who = required(form, "member", strings);
                    yield command("room.book", strings, "done.book", fields("room", required(form, "room", strings),
                            who.startsWith("m-") ? "member" : "card", who,
                            "start", dateTime(date, required(form, "start", strings), strings),
                            "end", dateTime(date, required(form, "end", strings), strings), "by", by));
                }
                case "/bookings/cancel" -> {
                    String date = form.getValue("date");
                    if (date != null && !date.isBlank()) {
                        back = "/bookings?date=" + enc(date);
                    }
                    yield command("booking.cancel", strings, "done.cancel", fields("booking", required(form, "booking", strings), "by", by));
                }
                case "/print/cancel" -> command("print.cancel", strings, fields("job", jobId(required(form, "job", strings), strings), "by", by),
                        result -> strings.t("done.print_cancel", result.path("job").asText()));
                case "/print/release" -> command("print.release", strings, fields("member", required(form, "member", strings),
                        "printer", required(form, "printer", strings), "by", by),
                        result -> strings.t("done.print_release", result.path("released").size(), result.path("printer").asText(),
                                result.path("held").size()));
                case "/loans/open" -> command("loan.open", strings, "done.loan_open", fields("computer", required(form, "computer", strings), "by", by));
                case "/loans/cancel" -> command("loan.cancel", strings, "done.loan_cancel", fields("booking", required(form, "booking", strings), "by", by));
                case "/copiers/end" -> command("copier.end", strings, "done.copier_end", fields("copier", required(form, "copier", strings), "by", by));
                case "/users/add" -> addUser(form, strings, s);
                case "/users/remove" -> removeUser(form, strings, s);
                case "/users/unpause" -> {
                    String name = required(form, "name", strings);
                    sessions.unpause(name);
                    gateway.scheduler().execute(() -> gateway.alarms().clear("console.login_paused", "console:" + name));
                    yield new Flash(strings.t("done.unpause", name), false);
                }
                default -> null;
            };
        } catch (Refusal r) {
            flash = new Flash(r.getMessage(), true);
        }
        if (flash == null) {
            text(response, callback, 404, strings.t("error.not_found"));
            return;
        }
        flashes.put(s.token(), flash);
        redirect(response, callback, back);
    }

    /** A change refused before it reached the command layer (a missing or malformed field), in words. */
    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One command through the gateway's command layer, as MQTT would send it. The id is fresh: the console
     * never repeats a request on its own, and a browser's second POST is a second decision by the host.
     */
    private Flash command(String command, Strings strings, String doneKey, Map<String, Object> body) {
        return command(command, strings, body, result ->
                strings.t(doneKey, result.path("balance").isNumber() ? money(result.path("balance").asLong()) : ""));
    }

    /** As above; {@code done} puts a successful command's result in words. */
    private Flash command(String command, Strings strings, Map<String, Object> body, java.util.function.Function<JsonNode, String> done) {
        ObjectNode request = (ObjectNode) Json.node(body);
        request.put("id", "console-" + UUID.randomUUID());
        JsonNode reply;
        try {
            reply = Json.tree(gateway.commands().call(command, Json.bytes(request))
                    .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return new Flash(strings.t("error.timeout"), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Flash(strings.t("error.timeout"), true);
        } catch (java.util.concurrent.ExecutionException e) {
            return new Flash(strings.t("error.internal"), true);
        }
        if (reply.path("ok").asBoolean()) {
            return new Flash(done.apply(reply.path("result")), false);
        }
        JsonNode error = reply.path("error");
        return new Flash(strings.t("error.code." + error.path("code").asText()) + ": " + error.path("message").asText(), true);
    }

    /**
     * A search by card number is a POST, and answered with the member's id: the card number never becomes
     * part of a URL (the browser's history, a proxy's log). Reading only, so a monitor may.
     */
    private void findMember(Response response, Callback callback, Fields form, Strings strings, Sessions.Session s) {
        String q = blankToNull(form.getValue("q"));
        if (q == null) {
            redirect(response, callback, "/members");
            return;
        }
        JsonNode r = call("member.show", fields(q.startsWith("m-") ? "member" : q.contains("@") ? "email" : "card", q));
        if (r.has("member")) {
            redirect(response, callback, "/members?q=" + enc(r.path("member").asText()));
        } else {
            flashes.put(s.token(), new Flash(strings.t("members.not_found"), true));
            redirect(response, callback, "/members");
        }
    }

    private Flash addUser(Fields form, Strings strings, Sessions.Session s) {
        String name = required(form, "name", strings);
        String problem = Accounts.nameProblem(name);
        if (problem != null) {
            throw new Refusal(problem);
        }
        Role role;
        try {
            role = Role.of(required(form, "role", strings));
        } catch (IllegalArgumentException e) {
            throw new Refusal(e.getMessage());
        }
        char[] password = required(form, "password", strings).toCharArray();
        problem = Accounts.passwordProblem(password);
        if (problem != null) {
            throw new Refusal(problem);
        }
        if (!required(form, "password2", strings).equals(new String(password))) {
            throw new Refusal(strings.t("error.passwords_differ"));
        }
        accounts.put(name, role, password);
        sessions.endAll(name);
        journal("console.user_changed", fields("user", name, "role", role.wireName(), "by", "console:" + s.user()));
        return new Flash(strings.t("done.user_added", name), false);
    }

    private Flash removeUser(Fields form, Strings strings, Sessions.Session s) {
        String name = required(form, "name", strings);
        Optional<Accounts.Account> account = accounts.find(name);
        if (account.isEmpty()) {
            throw new Refusal(strings.t("error.no_user", name));
        }
        if (account.get().role() == Role.ADMIN && accounts.count(Role.ADMIN) <= 1) {
            throw new Refusal(strings.t("error.last_admin"));
        }
        accounts.remove(name);
        sessions.endAll(name);
        journal("console.user_removed", fields("user", name, "by", "console:" + s.user()));
        return new Flash(strings.t("done.user_removed", name), false);
    }

    /** Journals a console event on the site thread, as every event is. */
    private void journal(String type, Map<String, Object> f) {
        gateway.scheduler().execute(() -> gateway.context().events().emit(type, "console", f));
    }

    private static String required(Fields form, String field, Strings strings) {
        String v = form.getValue(field);
        if (v == null || v.isBlank()) {
            throw new Refusal(strings.t("error.missing", strings.t("field." + field)));
        }
        return v.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** "50", "50,00" or "50.5" (kronor, as a host thinks) to minor units; never a guess. */
    long minorUnits(String amount, Strings strings) {
        try {
            BigDecimal major = new BigDecimal(amount.replace(" ", "").replace(',', '.'));
            BigDecimal minor = major.movePointRight(site.minorUnitDigits());
            if (minor.signum() <= 0 || minor.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException();
            }
            return minor.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Refusal(strings.t("error.amount", amount));
        }
    }

    private static long jobId(String job, Strings strings) {
        try {
            return Long.parseLong(job);
        } catch (NumberFormatException e) {
            throw new Refusal(strings.t("error.missing", strings.t("field.job")));
        }
    }

    private String dateTime(String date, String time, Strings strings) {
        try {
            return LocalDate.parse(date).atTime(LocalTime.parse(time)).atZone(zone).toOffsetDateTime().toString();
        } catch (DateTimeParseException e) {
            throw new Refusal(strings.t("error.time", date + " " + time));
        }
    }

    // ---- log-in

    private void loginPage(Response response, Callback callback, Strings strings, String error, int status) {
        response.setStatus(status);
        page(response, callback, "console/login.jte", new Page(strings, strings.t("login.title"), "login", site.name(),
                null, null, null, error, error != null), null);
    }

    private void login(Request request, Response response, Callback callback, Strings strings) {
        if (!sameOrigin(request)) {
            refuseUnread(response, callback, strings.t("error.origin"));
            return;
        }
        Fields form = FormFields.getFields(request);
        String name = Optional.ofNullable(form.getValue("user")).orElse("").strip();
        char[] password = Optional.ofNullable(form.getValue("password")).orElse("").toCharArray();
        Optional<Accounts.Account> account = accounts.find(name);
        Optional<Instant> paused = account.isPresent() ? sessions.pausedUntil(name) : Optional.empty();
        // A paused account is checked against nothing, in the same time as a real check: a pause is not a shortcut.
        Optional<Boolean> checked = logins.verify(Request.getRemoteAddr(request), password,
                paused.isPresent() ? null : account.map(Accounts.Account::hash).orElse(null));
        if (checked.isEmpty()) {
            // Nothing was checked (not a wrong password): this address, or the log-in, has too many under way.
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            loginPage(response, callback, strings, strings.t("login.busy"), 503);
            return;
        }
        if (paused.isPresent()) {
            loginPage(response, callback, strings, strings.t("login.paused"), 429);
            return;
        }
        if (account.isEmpty() || !checked.get()) {
            if (account.isPresent() && sessions.failed(name)) {
                log.warn("Console account {} paused after {} wrong passwords", name, Sessions.MAX_FAILURES);
                gateway.scheduler().execute(() -> gateway.alarms().raise("console.login_paused", "console:" + name,
                        fields("user", name, "failures", Sessions.MAX_FAILURES, "minutes", Sessions.PAUSE.toMinutes())));
            }
            loginPage(response, callback, strings, strings.t("login.wrong"), 401);
            return;
        }
        Sessions.Session s = sessions.start(name, account.get().role());
        gateway.scheduler().execute(() -> gateway.alarms().clear("console.login_paused", "console:" + name));
        boolean secure = request.isSecure() || !allowPlainCookies;
        Response.addCookie(response, HttpCookie.build(COOKIE, s.token())
                .path("/").httpOnly(true).secure(secure).sameSite(HttpCookie.SameSite.STRICT).build());
        redirect(response, callback, "/");
    }

    private void expireCookie(Request request, Response response) {
        Response.addCookie(response, HttpCookie.build(COOKIE, "").path("/").httpOnly(true)
                .secure(request.isSecure() || !allowPlainCookies).sameSite(HttpCookie.SameSite.STRICT).maxAge(0).build());
    }

    private static String cookie(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE)) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * A change must come from one of our own pages: when the browser names the page's origin, it must be
     * this server (SameSite=Strict and the CSRF token are the other two locks).
     */
    private static boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String host = request.getHeaders().get(HttpHeader.HOST);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(o.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the pages' contents

    private Page page(Strings strings, Sessions.Session s, boolean live, String nav) {
        Flash flash = live ? null : flashes.remove(s.token());
        return new Page(strings, strings.t("nav." + nav), nav, site.name(), s.user(), s.role(), s.csrf(),
                flash == null ? null : flash.text(), flash != null && flash.error());
    }

    private Map<String, byte[]> retained() {
        return gateway.context().retained().snapshot();
    }

    private JsonNode state(Map<String, byte[]> all, String topic) {
        byte[] b = all.get(topic);
        if (b == null) {
            return Json.object();
        }
        try {
            return Json.tree(b);
        } catch (IllegalArgumentException e) {
            return Json.object();
        }
    }

    private String hoursToday() {
        List<String> ranges = new ArrayList<>();
        for (TimeRange r : site.hours().rangesOn(LocalDate.now(zoneClock()))) {
            ranges.add(r.toString());
        }
        return ranges.isEmpty() ? null : String.join(", ", ranges);
    }

    private java.time.Clock zoneClock() {
        return java.time.Clock.fixed(gateway.scheduler().now(), zone);
    }

    private SiteView siteNow() {
        Map<String, byte[]> all = retained();
        JsonNode occupancy = state(all, gateway.topics().occupancy());
        // The room states never name a member: who booked comes from today's bookings (by id, or the next by its start).
        Map<String, String> whose = new HashMap<>();
        call("bookings.list", fields("date", LocalDate.now(zoneClock()).toString())).path("bookings").forEach(b -> {
            String member = b.path("member").asText(null);
            if (member != null && !"released".equals(b.path("status").asText())) {
                whose.put(b.path("id").asText(), member);
                whose.put(b.path("room").asText() + "@" + parseInstantOr(b.path("start").asText()), member);
            }
        });
        List<RoomView> rooms = new ArrayList<>();
        for (Room room : site.rooms()) {
            JsonNode st = state(all, gateway.topics().roomState(room.id()));
            JsonNode booking = st.path("booking");
            JsonNode next = st.path("next");
            rooms.add(new RoomView(room.id(), room.name(), room.seats(), st.path("status").asText("free"),
                    st.path("light").asText("off"), st.path("occupied").asBoolean(),
                    booking.isObject() ? span(booking) + by(whose.get(booking.path("id").asText())) : null,
                    next.isObject() ? span(next) + by(whose.get(room.id() + "@" + parseInstantOr(next.path("start").asText()))) : null));
        }
        List<DoorView> doors = new ArrayList<>();
        for (DeviceSpec d : site.devices()) {
            if (d instanceof DoorSpec) {
                JsonNode st = state(all, gateway.topics().deviceState(d.id()));
                String problem = alarmOn(all, d.id());
                doors.add(new DoorView(d.id(), st.path("locked").asBoolean(true), st.path("open").asBoolean(), problem));
            }
        }
        boolean fire = site.fireInput() != null && state(all, gateway.topics().deviceState(site.fireInput().id())).path("active").asBoolean();
        int alarms = (int) all.keySet().stream().filter(t -> t.startsWith(gateway.topics().alarm(""))).count();
        return new SiteView(gateway.hours().isOpen(), hoursToday(), occupancy.path("present").asInt(),
                occupancy.path("capacity").asInt(site.capacity()), rooms, doors, site.fireInput() != null, fire, alarms);
    }

    private String alarmOn(Map<String, byte[]> all, String device) {
        String prefix = gateway.topics().alarm("");
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                JsonNode a = state(all, e.getKey());
                if (device.equals(a.path("device").asText())) {
                    return a.path("type").asText();
                }
            }
        }
        return null;
    }

    /** A member as the console shows one: its pseudonymous id (Kontor keeps no names). */
    private static String by(String member) {
        return member == null ? "" : " (" + member + ")";
    }

    private String span(JsonNode b) {
        return hm(b.path("start").asText()) + "–" + hm(b.path("end").asText());
    }

    private String hm(String isoTime) {
        try {
            return ZonedDateTime.parse(isoTime).withZoneSameInstant(zone).format(HM);
        } catch (DateTimeParseException e) {
            return isoTime;
        }
    }

    private AlarmsView alarms() {
        Map<String, byte[]> all = retained();
        String prefix = gateway.topics().alarm("");
        Instant now = gateway.scheduler().now();
        List<AlarmView> active = new ArrayList<>();
        all.keySet().stream().filter(t -> t.startsWith(prefix)).sorted().forEach(t -> {
            JsonNode a = state(all, t);
            Instant raised = parseInstant(a.path("raised").asText());
            active.add(new AlarmView(a.path("id").asText(), a.path("type").asText(), a.path("device").asText(),
                    raised == null ? "" : local(raised), raised == null ? "" : age(Duration.between(raised, now)),
                    a.path("acked").asBoolean(), a.path("acked_by").asText(null)));
        });
        active.sort((x, y) -> Boolean.compare(x.acked(), y.acked()));
        List<EventView> history = gateway.journal().readBack(Long.MAX_VALUE, 20, "alarm.", null, null, null)
                .stream().map(this::event).toList();
        return new AlarmsView(active, history);
    }

    private static Instant parseInstant(String s) {
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String local(Instant t) {
        return t.atZone(zone).format(DAY_TIME);
    }

    private static String age(Duration d) {
        long m = Math.max(0, d.toMinutes());
        return m < 60 ? m + " min" : (m / 60) + " h " + (m % 60) + " min";
    }

    private EventView event(Event e) {
        StringBuilder detail = new StringBuilder();
        e.fields().forEach((k, v) -> {
            if (detail.length() > 0) {
                detail.append(", ");
            }
            detail.append(k).append('=').append(v);
        });
        Object member = e.fields().get("member");
        return new EventView(e.seq(), local(e.ts()), e.type(), e.device() == null ? "" : e.device(),
                member == null ? null : member.toString(), detail.toString());
    }

    private LockersView lockers() {
        Map<String, byte[]> all = retained();
        JsonNode list = call("locker.list", fields()).path("lockers");
        Map<String, JsonNode> byId = new HashMap<>();
        list.forEach(l -> byId.put(l.path("locker").asText(), l));
        List<BankView> banks = new ArrayList<>();
        for (LockerBank bank : site.lockerBanks()) {
            List<LockerView> lockers = new ArrayList<>();
            for (LockerSpec spec : bank.lockers()) {
                JsonNode l = byId.getOrDefault(spec.id(), Json.object());
                String until = l.path("until").asText(null);
                lockers.add(new LockerView(spec.id(), spec.number(), spec.type().yamlName(), l.path("status").asText("free"),
                        l.path("status").asText().equals("free") ? null : l.path("member").asText(null),
                        until == null ? null : local(parseInstant(until)), l.path("open").asBoolean(), l.path("locked").asBoolean(true),
                        l.path("jammed").asBoolean(), alarmOn(all, spec.id())));
            }
            banks.add(new BankView(bank.id(), bank.name(), lockers));
        }
        return new LockersView(banks, site.loanBanks().isEmpty() ? List.of() : loans(all));
    }

    /** The loan computers: the state each publishes (which never says who), and who from {@code loans.list}. */
    private List<LoanBankView> loans(Map<String, byte[]> all) {
        Map<String, JsonNode> current = new HashMap<>();
        Instant now = gateway.scheduler().now();
        // Booked or lent, soonest first: a lent one, else the first booking not yet over, is the one to show.
        List<JsonNode> bookings = new ArrayList<>();
        call("loans.list", fields()).path("bookings").forEach(bookings::add);
        bookings.sort(java.util.Comparator.comparing(b -> parseInstantOr(b.path("start").asText())));
        for (JsonNode b : bookings) {
            String computer = b.path("computer").asText();
            JsonNode shown = current.get(computer);
            if (shown == null || (!"lent".equals(shown.path("status").asText()) && "lent".equals(b.path("status").asText()))) {
                Instant end = parseInstant(b.path("end").asText());
                if ("lent".equals(b.path("status").asText()) || end == null || end.isAfter(now)) {
                    current.put(computer, b);
                }
            }
        }
        List<LoanBankView> banks = new ArrayList<>();
        for (LoanBank bank : site.loanBanks()) {
            List<LoanView> computers = new ArrayList<>();
            for (LoanComputerSpec c : bank.computers()) {
                JsonNode st = state(all, gateway.topics().loanState(c.id()));
                JsonNode b = current.get(c.id());
                boolean lent = b != null && "lent".equals(b.path("status").asText());
                computers.add(new LoanView(c.id(), c.number(), st.path("status").asText("free"),
                        b == null ? null : b.path("member").asText(null),
                        b == null ? null : local(parseInstantOr(b.path("start").asText())).substring(0, 16) + "–" + hm(b.path("end").asText()),
                        lent, b == null || lent ? null : b.path("id").asText(null),
                        st.path("open").asBoolean(), st.path("locked").asBoolean(true), st.path("present").asBoolean(true),
                        st.path("charged").asBoolean(true), alarmOn(all, c.id())));
            }
            banks.add(new LoanBankView(bank.id(), bank.name(), computers));
        }
        return banks;
    }

    /**
     * A read-only command for a page, not kept in the command log; an empty object when it fails (the page then shows
     * less, not an error).
     */
    private JsonNode call(String command, Map<String, Object> body) {
        ObjectNode request = (ObjectNode) Json.node(body);
        request.put("id", "console-" + UUID.randomUUID());
        try {
            JsonNode reply = Json.tree(gateway.commands().read(command, Json.bytes(request)).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            return reply.path("ok").asBoolean() ? reply.path("result") : reply;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("console: {} failed: {}", command, e.toString());
            return Json.object();
        }
    }

    private MembersView members(Fields q, Strings strings) {
        List<EventView> taps = new ArrayList<>();
        for (String reader : deskReaders) {
            gateway.journal().readBack(Long.MAX_VALUE, 5, "card.", reader, null, null).forEach(e -> taps.add(event(e)));
        }
        taps.sort((a, b) -> Long.compare(b.seq(), a.seq()));
        String query = blankToNull(q.getValue("q"));
        if (query != null && !query.startsWith("m-")) {
            query = null; // a card number is looked up by POST (findMember), never from a URL
        }
        MemberView found = null;
        if (query != null) {
            JsonNode r = call("member.show", fields("member", query));
            if (r.has("member")) {
                List<String> lockers = new ArrayList<>();
                r.path("lockers").forEach(l -> lockers.add(l.path("locker").asText() + " (" + l.path("status").asText() + ")"));
                List<String> bookings = new ArrayList<>();
                r.path("bookings").forEach(b -> bookings.add(b.path("room").asText() + " "
                        + local(parseInstantOr(b.path("start").asText())).substring(0, 16) + "–" + hm(b.path("end").asText())));
                // print_jobs is there only when the site has a print queue; print_name only once one is set.
                found = new MemberView(r.path("member").asText(), r.path("role").asText(), money(r.path("balance").asLong()),
                        r.path("valid_until").asText(null), r.path("revoked").asBoolean(), lockers, bookings,
                        r.path("email").asText(null), r.has("print_jobs"), r.path("print_name").asText(null), r.path("print_jobs").size(),
                        r.has("loans") ? loansOf(r.path("loans")) : null);
            } else {
                found = new MemberView(null, null, null, null, false, List.of(), List.of(), null, false, null, 0, null);
            }
        }
        return new MembersView(taps.stream().limit(5).toList(), found, query, deskReaders);
    }

    /** A member's loan bookings (booked or lent) in words: computer, when, status. */
    private List<String> loansOf(JsonNode loans) {
        List<String> shown = new ArrayList<>();
        loans.forEach(l -> shown.add(l.path("computer").asText() + " " + local(parseInstantOr(l.path("start").asText())).substring(0, 16)
                + "–" + hm(l.path("end").asText()) + " (" + l.path("status").asText() + ")"));
        return shown;
    }

    private Instant parseInstantOr(String s) {
        Instant t = parseInstant(s);
        return t == null ? Instant.EPOCH : t;
    }

    String money(long minor) {
        return BigDecimal.valueOf(minor, site.minorUnitDigits()).toPlainString() + " " + site.currency().getCurrencyCode();
    }

    private BookingsView bookings(Fields q) {
        LocalDate date;
        try {
            date = q.getValue("date") == null ? LocalDate.now(zoneClock()) : LocalDate.parse(q.getValue("date"));
        } catch (DateTimeParseException e) {
            date = LocalDate.now(zoneClock());
        }
        JsonNode list = call("bookings.list", fields("date", date.toString())).path("bookings");
        List<RoomDay> rooms = new ArrayList<>();
        for (Room room : site.rooms()) {
            List<BookingView> bookings = new ArrayList<>();
            list.forEach(b -> {
                if (room.id().equals(b.path("room").asText()) && !"released".equals(b.path("status").asText())) {
                    bookings.add(new BookingView(b.path("id").asText(), hm(b.path("start").asText()), hm(b.path("end").asText()),
                            b.path("member").asText(null), b.path("checked_in").asBoolean()));
                }
            });
            rooms.add(new RoomDay(room.id(), room.name(), bookings));
        }
        return new BookingsView(date.toString(), rooms);
    }

    private PrintersView printers() {
        Map<String, byte[]> all = retained();
        List<DeviceView> printers = new ArrayList<>();
        List<DeviceView> copiers = new ArrayList<>();
        for (DeviceSpec d : site.devices()) {
            if (d instanceof PrinterSpec || d instanceof CopierSpec) {
                JsonNode st = state(all, gateway.topics().deviceState(d.id()));
                List<Kv> kv = new ArrayList<>();
                st.properties().forEach(e -> kv.add(new Kv(e.getKey(), stateValue(e.getKey(), e.getValue()))));
                byte[] availability = all.get(gateway.topics().availability(d.id()));
                boolean available = availability == null || new String(availability, StandardCharsets.UTF_8).equals("online");
                (d instanceof PrinterSpec ? printers : copiers).add(new DeviceView(d.id(), d.kind(), available, kv));
            }
        }
        List<String> release = site.printers().stream().filter(PrinterSpec::releases).map(PrinterSpec::id).toList();
        JsonNode queue = release.isEmpty() ? Json.node(fields()) : call("print.jobs", fields());
        return new PrintersView(printers, copiers, release, printJobs(queue), queue.path("more").asBoolean());
    }

    /**
     * The held print queue, through {@code print.jobs} without a member: every job held or being released, oldest
     * first, never with a document name (the command lists at most a page of them; {@code more} says there are more,
     * which the page says in words).
     */
    private List<PrintJobView> printJobs(JsonNode queue) {
        Instant now = gateway.scheduler().now();
        List<PrintJobView> jobs = new ArrayList<>();
        queue.path("jobs").forEach(j -> {
            Instant created = parseInstant(j.path("created").asText());
            jobs.add(new PrintJobView(j.path("job").asLong(), j.path("member").asText(), j.path("pages").asInt(),
                    size(j.path("size").asLong()), j.path("colour").asBoolean(),
                    created == null ? "" : age(Duration.between(created, now)), j.path("status").asText(),
                    j.path("printer").asText(null)));
        });
        return jobs;
    }

    /** A printer's or copier's state line in words: toner levels as percentages, problems as a list. */
    private static String stateValue(String key, JsonNode value) {
        if (value.isValueNode()) {
            return value.asText();
        }
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(key.equals("markers")
                ? v.path("name").asText() + (v.path("level").asInt(-1) >= 0 ? " " + v.path("level").asInt() + " %" : "")
                : v.isValueNode() ? v.asText() : v.toString()));
        return items.isEmpty() ? "—" : String.join(", ", items);
    }

    private static String size(long bytes) {
        return bytes < 1000 ? bytes + " B" : bytes < 1_000_000 ? (bytes + 500) / 1000 + " kB"
                : BigDecimal.valueOf(bytes).movePointLeft(6).setScale(1, java.math.RoundingMode.HALF_UP) + " MB";
    }

    private EventsView events(Fields q) {
        String type = blankToNull(q.getValue("type"));
        String device = blankToNull(q.getValue("device"));
        String member = blankToNull(q.getValue("member"));
        String before = blankToNull(q.getValue("before"));
        long olderThan = Long.MAX_VALUE;
        try {
            if (q.getValue("older") != null) {
                olderThan = Long.parseLong(q.getValue("older"));
            }
        } catch (NumberFormatException ignored) {
            // a hand-edited link: from the newest
        }
        Instant beforeTime = null;
        if (before != null) {
            try {
                beforeTime = LocalDate.parse(before).plusDays(1).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e) {
                before = null;
            }
        }
        List<Event> page = gateway.journal().readBack(olderThan, EVENTS_PAGE + 1, type, device, member, beforeTime);
        List<EventView> shown = page.stream().limit(EVENTS_PAGE).map(this::event).toList();
        Long next = page.size() > EVENTS_PAGE ? shown.getLast().seq() : null;
        StringBuilder query = new StringBuilder();
        for (String[] f : new String[][] {{"type", type}, {"device", device}, {"member", member}, {"before", before}}) {
            if (f[1] != null) {
                query.append(query.isEmpty() ? "?" : "&").append(f[0]).append('=').append(enc(f[1]));
            }
        }
        return new EventsView(shown, type, device, member, before, next, query.toString(), olderThan == Long.MAX_VALUE);
    }

    private ScreenView screen() {
        Map<String, byte[]> all = retained();
        JsonNode occupancy = state(all, gateway.topics().occupancy());
        List<ScreenRoom> rooms = new ArrayList<>();
        for (Room room : site.rooms()) {
            JsonNode st = state(all, gateway.topics().roomState(room.id()));
            String status = st.path("status").asText("free");
            boolean free = status.equals("free");
            String until = free ? (st.path("next").isObject() ? hm(st.path("next").path("start").asText()) : null)
                    : (st.path("booking").isObject() ? hm(st.path("booking").path("end").asText()) : null);
            rooms.add(new ScreenRoom(room.name(), free, until));
        }
        return new ScreenView(gateway.hours().isOpen(), hoursToday(), occupancy.path("present").asInt(),
                occupancy.path("capacity").asInt(site.capacity()), rooms);
    }

    private UsersView users() {
        List<UserView> users = new ArrayList<>();
        for (Accounts.Account a : accounts.all()) {
            users.add(new UserView(a.name(), a.role().wireName(), sessions.pausedUntil(a.name()).isPresent()));
        }
        return new UsersView(users);
    }

    // ---- answers

    private void page(Response response, Callback callback, String template, Page page, Object view) {
        StringOutput out = new StringOutput();
        Map<String, Object> params = new HashMap<>();
        params.put("page", page);
        if (view != null) {
            params.put("view", view);
        }
        templates.render(template, params, out);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * A refusal before the request's form was read: the connection is closed after it, and says so, so that no
     * client sends its next request down a connection that still holds this one's unread body.
     */
    private static void refuseUnread(Response response, Callback callback, String text) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        text(response, callback, 403, text);
    }

    private static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        callback.succeeded();
    }

    private static void securityHeaders(Response response) {
        var h = response.getHeaders();
        h.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "same-origin"); // no-referrer would make Chrome send "Origin: null"
        h.put("X-Frame-Options", "DENY");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
