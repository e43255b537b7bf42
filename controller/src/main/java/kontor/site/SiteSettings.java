package kontor.site;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The catalogue: every setting of the site file's {@code policy}, {@code mqtt}, {@code coap},
 * {@code home_assistant}, {@code http} and {@code fleet} sections and of a room's {@code calendar}, defined once with its key, kind, default, range and meaning (see
 * {@link Setting}). The parser reads these, {@link Policy} and the specs take their defaults from here, the
 * CoAP server its DTLS port; {@code docs/site-file.md} and the policy section of the skeleton are tested
 * against them. To add a setting: define it here (in the order the sections list their keys), add it to its
 * section's list, read it where it is used, and run {@code SettingsDocTest}, which prints the doc rows to add.
 */
public final class SiteSettings {
    private SiteSettings() { }

    // ---- policy: the site's rules

    public static final Setting<Duration> LOCKER_PULSE = Setting.duration("policy.locker_pulse", "500ms", "50ms", "10s",
            "how long a locker lock is energised to open");
    public static final Setting<Duration> STRIKE_TIME = Setting.duration("policy.strike_time", "5s", "1s", "2m",
            "how long a door strike stays released after a granted tap");
    public static final Setting<Duration> ACCESSIBLE_STRIKE_TIME = Setting.duration("policy.accessible_strike_time",
            "15s", "1s", "5m", "the strike time for accessible members");
    public static final Setting<Boolean> RELOCK_ON_OPEN = Setting.flag("policy.relock_on_open", true,
            "relock as soon as the door opens (anti-tailgating)");
    public static final Setting<Duration> DOOR_HELD_OPEN = Setting.duration("policy.door_held_open", "60s", "5s", "1h",
            "a door open longer than this raises door.held_open");
    public static final Setting<Duration> LOCKER_LEFT_OPEN = Setting.duration("policy.locker_left_open", "120s", "10s",
            "1h", "a locker open longer than this raises locker.left_open");
    public static final Setting<Integer> DENIED_TAPS_BEFORE_LOCKOUT = Setting.integer("policy.denied_taps_before_lockout",
            5, 1, 100, "denied taps within the window that lock a reader out");
    public static final Setting<Duration> DENIED_TAPS_WINDOW = Setting.duration("policy.denied_taps_window", "60s", "1s",
            "1h", "the window in which denied taps are counted");
    public static final Setting<Duration> LOCKOUT = Setting.duration("policy.lockout", "60s", "1s", "24h",
            "how long a locked-out reader ignores taps");
    public static final Setting<Integer> LOCKER_OPENS_PER_MINUTE = Setting.integer("policy.locker_opens_per_minute",
            6, 1, 60, "at most this many opens per locker and minute");
    public static final Setting<Duration> MAX_BOOKING_LENGTH = Setting.duration("policy.max_booking_length", "4h", "15m",
            "24h", "the longest booking");
    public static final Setting<Integer> BOOKINGS_PER_MEMBER_PER_DAY = Setting.integer(
            "policy.bookings_per_member_per_day", 2, 1, 50, "bookings a member may hold per day");
    public static final Setting<Integer> BOOKING_DAYS_AHEAD = Setting.integer("policy.booking_days_ahead", 14, 0, 365,
            "how many days ahead a room can be booked");
    public static final Setting<Duration> CHECK_IN_BEFORE = Setting.duration("policy.check_in_before", "10m", "0s", "2h",
            "check-in opens this long before the start");
    public static final Setting<Duration> NO_SHOW_AFTER = Setting.duration("policy.no_show_after", "10m", "1m", "4h",
            "a booking not checked in by start + this is released");
    public static final Setting<Duration> VACANT_AFTER = Setting.duration("policy.vacant_after", "15m", "1m", "4h",
            "a checked-in room without presence this long is released");
    public static final Setting<Duration> PRESENCE_HOLD = Setting.duration("policy.presence_hold", "5m", "10s", "1h",
            "a room counts as occupied this long after the last motion");
    public static final Setting<Duration> ON_THE_SPOT_LENGTH = Setting.duration("policy.on_the_spot_length", "60m", "5m",
            "24h", "length of a booking made by a tap at a free room");
    public static final Setting<Duration> ON_THE_SPOT_MINIMUM = Setting.duration("policy.on_the_spot_minimum", "15m",
            "1m", "24h", "a free slot shorter than this cannot be booked on the spot");
    public static final Setting<Duration> AMBER_BEFORE = Setting.duration("policy.amber_before", "15m", "0s", "4h",
            "a room's light turns amber this long before a booking");
    public static final Setting<Duration> COPIER_IDLE = Setting.duration("policy.copier_idle", "60s", "5s", "1h",
            "a copier session ends after this long without a page");
    public static final Setting<Duration> PRINTER_POLL = Setting.duration("policy.printer_poll", "60s", "5s", "1h",
            "how often printers are asked for their state (default of each printer)");
    public static final Setting<Duration> PRINT_HOLD = Setting.duration("policy.print_hold", "24h", "5m", "7d",
            "a held print job not released within this expires (and at closing at the latest); nothing is charged");
    public static final Setting<Long> PRINT_SPOOL_MAX = Setting.count("policy.print_spool_max", 512L, 16L, 65_536L,
            "MB the held print queue may take on disk; a job beyond it is refused and raises an alarm");
    public static final Setting<Integer> TONER_WARNING = Setting.integer("policy.toner_warning", 15, 0, 100,
            "toner at or below this percentage raises a warning");
    public static final Setting<Integer> TONER_CRITICAL = Setting.integer("policy.toner_critical", 5, 0, 100,
            "toner at or below this percentage is critical");
    public static final Setting<Integer> MISSED_HEARTBEATS = Setting.integer("policy.missed_heartbeats", 3, 1, 100,
            "a device silent for this many heartbeats is offline");
    public static final Setting<Duration> JOURNAL_RETENTION = Setting.duration("policy.journal_retention", "90d", "1d",
            "3650d", "published events are deleted after this long");
    public static final Setting<Long> JOURNAL_MAX_EVENTS = Setting.count("policy.journal_max_events", 2_000_000L,
            1_000L, 1_000_000_000L, "the journal's size cap: the oldest published events go first; alarm at 80 %");
    public static final Setting<Duration> DOUBLE_TAP = Setting.duration("policy.double_tap", "4s", "500ms", "30s",
            "the same card twice within this releases a day locker");
    public static final Setting<Integer> DAY_LOCKERS_PER_MEMBER = Setting.integer("policy.day_lockers_per_member", 1, 0,
            100, "day lockers one member may hold at once");
    public static final Setting<Long> CREDIT_LIMIT = Setting.money("policy.credit_limit", 0L, 0L, 1_000_000_000L,
            "how far below zero a balance may go, in minor units");
    public static final Setting<Long> LOCKER_RENTAL_FEE = Setting.money("policy.locker_rental_fee", 0L, 0L,
            1_000_000_000L, "charged, in minor units, when a host assigns a rental locker");
    public static final Setting<Duration> ENROL_WINDOW = Setting.duration("policy.enrol_window", "30s", "5s", "10m",
            "after a host's card, a new card tapped within this is enrolled");
    public static final Setting<Duration> LOAN_GRACE = Setting.duration("policy.loan_grace", "15m", "0s", "24h",
            "a loan computer not back by its booking's end plus this raises loan.overdue");
    public static final Setting<Duration> LOAN_RECHARGE = Setting.duration("policy.loan_recharge", "2h", "0s", "24h",
            "a returned laptop in a bay without a charge input counts as charged after this");

    /** Every rule of {@link Policy}, in the order of the skeleton and the docs. */
    public static final List<Setting<?>> POLICY = List.of(LOCKER_PULSE, STRIKE_TIME, ACCESSIBLE_STRIKE_TIME,
            RELOCK_ON_OPEN, DOOR_HELD_OPEN, LOCKER_LEFT_OPEN, DENIED_TAPS_BEFORE_LOCKOUT, DENIED_TAPS_WINDOW, LOCKOUT,
            LOCKER_OPENS_PER_MINUTE, MAX_BOOKING_LENGTH, BOOKINGS_PER_MEMBER_PER_DAY, BOOKING_DAYS_AHEAD,
            CHECK_IN_BEFORE, NO_SHOW_AFTER, VACANT_AFTER, PRESENCE_HOLD, ON_THE_SPOT_LENGTH, ON_THE_SPOT_MINIMUM,
            AMBER_BEFORE, COPIER_IDLE, PRINTER_POLL, PRINT_HOLD, PRINT_SPOOL_MAX, TONER_WARNING, TONER_CRITICAL, MISSED_HEARTBEATS,
            JOURNAL_RETENTION, JOURNAL_MAX_EVENTS, DOUBLE_TAP, DAY_LOCKERS_PER_MEMBER, CREDIT_LIMIT, LOCKER_RENTAL_FEE,
            ENROL_WINDOW, LOAN_GRACE, LOAN_RECHARGE);

    // ---- mqtt: the production broker (kontor run)

    public static final Setting<URI> MQTT_URL = Setting.requiredUri("mqtt.url",
            "`tcp://host:port`, or `ssl://host:port` for TLS (the broker's certificate and host name are verified)");
    public static final Setting<String> MQTT_CLIENT_ID = Setting.derivedText("mqtt.client_id", "kontor-<site id>",
            "the gateway's MQTT client id");
    public static final Setting<String> MQTT_USERNAME = Setting.optionalText("mqtt.username",
            "the gateway's user on the broker; none connects anonymously");
    public static final Setting<Path> MQTT_PASSWORD_FILE = Setting.file("mqtt.password_file",
            "the file holding the password (needs a username); never put the password itself in the site file");
    public static final Setting<Path> MQTT_CA_FILE = Setting.file("mqtt.ca_file",
            "(ssl only) PEM certificates of the CAs that may sign the broker's; the system's trusted CAs when left out");
    public static final Setting<Path> MQTT_CLIENT_CERT_FILE = Setting.file("mqtt.client_cert_file",
            "(ssl only) a PEM client certificate for mutual TLS, together with client_key_file");
    public static final Setting<Path> MQTT_CLIENT_KEY_FILE = Setting.file("mqtt.client_key_file",
            "(ssl only) the PEM private key of client_cert_file");
    public static final Setting<String> MQTT_TOPIC_ROOT = Setting.text("mqtt.topic_root", "kontor",
            "the first level of every topic: `<topic_root>/<site id>/…`");
    public static final Setting<String> MQTT_DISCOVERY_PREFIX = Setting.text("mqtt.discovery_prefix", "homeassistant",
            "the first level of Home Assistant's MQTT discovery topics");

    /** The keys of the {@code mqtt} section, in the order they are read. */
    public static final List<Setting<?>> MQTT = List.of(MQTT_URL, MQTT_CLIENT_ID, MQTT_USERNAME, MQTT_PASSWORD_FILE,
            MQTT_CA_FILE, MQTT_CLIENT_CERT_FILE, MQTT_CLIENT_KEY_FILE, MQTT_TOPIC_ROOT, MQTT_DISCOVERY_PREFIX);

    /** The default of {@code mqtt.client_id}: {@code kontor-<site id>}. */
    public static String defaultClientId(String siteId) {
        return "kontor-" + siteId;
    }

    // ---- home_assistant: MQTT discovery

    public static final Setting<Boolean> HOME_ASSISTANT_DISCOVERY = Setting.flag("home_assistant.discovery", true,
            "announce the site under `<discovery_prefix>/…`; false removes Kontor's entities");
    public static final Setting<Boolean> HOME_ASSISTANT_ALLOW_CONTROL = Setting.flag("home_assistant.allow_control", false,
            "add buttons that open something (a locker's master open, its release); needs discovery");

    public static final List<Setting<?>> HOME_ASSISTANT = List.of(HOME_ASSISTANT_DISCOVERY, HOME_ASSISTANT_ALLOW_CONTROL);

    // ---- coap: the CoAP server for battery nodes and door displays (kontor run)

    public static final Setting<Path> COAP_PSK_FILE = Setting.requiredFile("coap.psk_file",
            "one `identity key` per line; a node's identity is its device id");
    public static final Setting<String> COAP_BIND = Setting.text("coap.bind", "0.0.0.0",
            "the address to listen on (an IP address of this machine)");
    public static final Setting<Integer> COAP_PORT = Setting.port("coap.port", 5684, "the DTLS port");

    public static final List<Setting<?>> COAP = List.of(COAP_PSK_FILE, COAP_BIND, COAP_PORT);

    // ---- http: the HTTPS server of the host console (kontor run)

    public static final Setting<Path> HTTP_CERT_FILE = Setting.requiredFile("http.cert_file",
            "the site certificate (PEM, the chain from the server's own certificate up), e.g. from `kontor provision credentials`");
    public static final Setting<Path> HTTP_KEY_FILE = Setting.requiredFile("http.key_file",
            "its private key (PEM, PKCS#8), readable by the gateway's user only");
    public static final Setting<String> HTTP_BIND = Setting.text("http.bind", "0.0.0.0",
            "the address to listen on (an IP address of this machine)");
    public static final Setting<Integer> HTTP_PORT = Setting.port("http.port", 8443, "the HTTPS port");

    public static final List<Setting<?>> HTTP = List.of(HTTP_CERT_FILE, HTTP_KEY_FILE, HTTP_BIND, HTTP_PORT);

    // ---- fleet: one card at every office of an owner (docs/fleet.md)

    public static final Setting<Path> FLEET_KEY_FILE = Setting.requiredFile("fleet.key_file",
            "the fleet's card-hash key (32 bytes, mode 600) from `kontor provision centre`");
    public static final Setting<Path> FLEET_OWNER_KEY_FILE = Setting.requiredFile("fleet.owner_key_file",
            "the owner's public signing key (PEM); a directory entry it did not sign is refused");
    public static final Setting<String> FLEET_CENTRE_URL = Setting.optionalText("fleet.centre_url",
            "the owner's cluster, ssl://host:8883; `kontor provision credentials` then bridges the site broker to it");
    public static final Setting<Path> FLEET_CENTRE_CA_FILE = Setting.file("fleet.centre_ca_file",
            "PEM certificates of the CAs that may sign the cluster's; the system's trusted CAs when left out");
    public static final Setting<String> FLEET_CENTRE_USERNAME = Setting.derivedText("fleet.centre_username", "site-<site id>",
            "the site's user on the cluster");
    public static final Setting<Path> FLEET_CENTRE_PASSWORD_FILE = Setting.file("fleet.centre_password_file",
            "the file holding that user's password (from `kontor provision centre`)");

    public static final List<Setting<?>> FLEET = List.of(FLEET_KEY_FILE, FLEET_OWNER_KEY_FILE, FLEET_CENTRE_URL,
            FLEET_CENTRE_CA_FILE, FLEET_CENTRE_USERNAME, FLEET_CENTRE_PASSWORD_FILE);

    // ---- a calendar (the keys under rooms[].calendar, loan_banks[].calendar, loan_banks[].computers[].calendar;
    // docs/site-file.md, "A room's calendar")

    public static final Setting<URI> CALENDAR_ICS = Setting.uri("calendar.ics",
            "a published iCalendar feed (http/https), read only");
    public static final Setting<URI> CALENDAR_CALDAV = Setting.uri("calendar.caldav",
            "a CalDAV collection (http/https); Kontor reads it and writes back walk-ups, check-ins and no-show releases");
    public static final Setting<String> CALENDAR_USERNAME = Setting.optionalText("calendar.username",
            "the account, for either kind");
    public static final Setting<Path> CALENDAR_PASSWORD_FILE = Setting.file("calendar.password_file",
            "the calendar account's password, alone in a file of mode 600");
    public static final Setting<Duration> CALENDAR_POLL = Setting.duration("calendar.poll", "60s", "5s", "24h",
            "how often it is read");

    public static final List<Setting<?>> CALENDAR = List.of(CALENDAR_ICS, CALENDAR_CALDAV, CALENDAR_USERNAME,
            CALENDAR_PASSWORD_FILE, CALENDAR_POLL);

    /** The default of {@code fleet.centre_username}: {@code site-<site id>}. */
    public static String defaultCentreUsername(String siteId) {
        return "site-" + siteId;
    }

    /** Every setting, section by section. */
    public static final List<Setting<?>> ALL = Stream.of(POLICY, MQTT, HOME_ASSISTANT, COAP, HTTP, FLEET, CALENDAR)
            .flatMap(List::stream).toList();
}
