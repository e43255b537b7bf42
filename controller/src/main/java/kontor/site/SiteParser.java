package kontor.site;

import static kontor.site.SiteSettings.*;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kontor.device.wiring.CopierWiring;
import kontor.device.wiring.CounterWiring;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LightWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.Pin;
import kontor.device.wiring.WiegandWiring;

/**
 * Turns a site file's YAML nodes into a {@link Site}, checking everything once: values, references between
 * devices and the structure, ids, and pins. It never stops at the first problem; it returns null if there were any.
 */
final class SiteParser {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final Pattern TOPIC_ROOT = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Duration DEBOUNCE_MAX = Duration.ofSeconds(1);
    private static final Set<String> KINDS = Set.of(ReaderSpec.KIND, DoorSpec.KIND, PresenceSpec.KIND, LightSpec.KIND,
            CounterSpec.KIND, CopierSpec.KIND, PrinterSpec.KIND, FireSpec.KIND, ContactSpec.KIND);

    /** Something with an id (a device, room or bank), remembered so that references and duplicates can be checked. */
    private record Declared(String id, String kind, int line, String path, DeviceSpec spec) { }

    /** One pin in use, with who uses it, so that a second use can name the first. */
    private record PinUse(String key, String description, int bus, String path, int line, String owner) { }

    private record PendingReference(YamlNode node, String path, String kind, String owner) { }

    private final Problems problems;
    private final Path baseDir;
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private final Map<String, String> usedAt = new HashMap<>();
    private final List<PinUse> pins = new ArrayList<>();
    private final List<PendingReference> machineReaders = new ArrayList<>();
    private final List<Declared> devicesInOrder = new ArrayList<>();
    private String owner = "";

    SiteParser(Problems problems, Path baseDir) {
        this.problems = problems;
        this.baseDir = baseDir;
    }

    Site parse(YamlNode root) {
        Fields top = Fields.of(root, Problems.ROOT, problems);
        String id = id(top, "id");
        String name = top.text("name");
        ZoneId zone = zone(top);
        Long capacity = top.integer("capacity", 1, 100_000);
        Currency currency = currency(top);
        Integer minorUnitDigits = minorUnitDigits(top, currency);
        Policy policy = policy(top.node("policy"), top.at("policy"));
        OpeningHours hours = hours(top.required("hours"), top.at("hours"), zone);
        MqttSpec mqtt = mqtt(top.node("mqtt"), top.at("mqtt"), id);
        CoapSpec coap = coap(top.node("coap"), top.at("coap"));
        HttpSpec http = http(top.node("http"), top.at("http"));

        List<YamlNode> deviceNodes = list(top.node("devices"), top.at("devices"));
        for (int i = 0; i < deviceNodes.size(); i++) {
            device(deviceNodes.get(i), top.at("devices") + "[" + i + "]", policy);
        }
        List<LockerBank> banks = new ArrayList<>();
        List<YamlNode> bankNodes = list(top.node("locker_banks"), top.at("locker_banks"));
        for (int i = 0; i < bankNodes.size(); i++) {
            banks.add(lockerBank(bankNodes.get(i), top.at("locker_banks") + "[" + i + "]"));
        }
        List<LoanBank> loanBanks = new ArrayList<>();
        List<YamlNode> loanNodes = list(top.node("loan_banks"), top.at("loan_banks"));
        for (int i = 0; i < loanNodes.size(); i++) {
            loanBanks.add(loanBank(loanNodes.get(i), top.at("loan_banks") + "[" + i + "]"));
        }
        for (PendingReference reader : machineReaders) {
            owner = reader.owner();
            reference(reader.node(), reader.path(), reader.kind());
        }
        List<Room> rooms = new ArrayList<>();
        List<YamlNode> roomNodes = list(top.node("rooms"), top.at("rooms"));
        for (int i = 0; i < roomNodes.size(); i++) {
            rooms.add(room(roomNodes.get(i), top.at("rooms") + "[" + i + "]"));
        }
        Entrance entrance = entrance(top.node("entrance"), top.at("entrance"));
        FireSpec fire = (FireSpec) reference(top, "fire_input", FireSpec.KIND, false);
        HomeAssistantSpec homeAssistant = homeAssistant(top.node("home_assistant"), top.at("home_assistant"));
        FleetSpec fleet = fleet(top.node("fleet"), top.at("fleet"), id, top.lineOf("id"));
        top.rejectUnknown();

        checkFireInputsAreUsed(fire);
        checkPins();
        if (problems.any()) {
            return null;
        }
        List<DeviceSpec> devices = devicesInOrder.stream()
                .sorted(java.util.Comparator.comparingInt(Declared::line)).map(Declared::spec).toList();
        return new Site(id, name, zone, capacity.intValue(), currency, minorUnitDigits, hours, policy, mqtt, devices,
                banks, rooms, entrance, fire, homeAssistant, coap, http, fleet, loanBanks);
    }

    // ---- the site itself

    private String id(Fields fields, String key) {
        String id = fields.text(key);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(fields.lineOf(key), fields.at(key),
                    "\"" + id + "\" is not an id: use lowercase letters, digits and hyphens (e.g. door-room-1)");
            return null;
        }
        return id;
    }

    private ZoneId zone(Fields top) {
        String text = top.text("time_zone");
        if (text == null) {
            return null;
        }
        if (!ZoneId.getAvailableZoneIds().contains(text)) {
            problems.add(top.lineOf("time_zone"), top.at("time_zone"),
                    "unknown time zone \"" + text + "\" (use an IANA name such as Europe/Stockholm)");
            return null;
        }
        return ZoneId.of(text);
    }

    private Currency currency(Fields top) {
        String code = top.text("currency");
        if (code == null) {
            return null;
        }
        try {
            if (code.matches("[A-Z]{3}")) {
                return Currency.getInstance(code);
            }
        } catch (IllegalArgumentException unknown) {
            // reported below
        }
        problems.add(top.lineOf("currency"), top.at("currency"),
                "unknown currency \"" + code + "\" (use an ISO 4217 code such as SEK or EUR)");
        return null;
    }

    private Integer minorUnitDigits(Fields top, Currency currency) {
        boolean noDefault = currency != null && currency.getDefaultFractionDigits() < 0;
        long fallback = currency == null || noDefault ? 2 : currency.getDefaultFractionDigits();
        Long digits = noDefault ? top.integer("minor_unit_digits", 0, 4)
                : top.optInteger("minor_unit_digits", fallback, 0, 4);
        return digits == null ? null : digits.intValue();
    }

    // ---- policy

    private Policy policy(YamlNode node, String path) {
        Fields fields = Fields.of(node, path, problems);
        Policy.Builder values = new Policy.Builder();
        for (Setting<?> setting : SiteSettings.POLICY) {
            values.read(setting, fields);
        }
        fields.rejectUnknown();
        Policy policy = values.build();
        atLeast(fields, ACCESSIBLE_STRIKE_TIME, policy.accessibleStrikeTime(), STRIKE_TIME, policy.strikeTime());
        atLeast(fields, ON_THE_SPOT_LENGTH, policy.onTheSpotLength(), ON_THE_SPOT_MINIMUM, policy.onTheSpotMinimum());
        atLeast(fields, MAX_BOOKING_LENGTH, policy.maxBookingLength(), ON_THE_SPOT_LENGTH, policy.onTheSpotLength());
        if (policy.tonerCritical() > policy.tonerWarning()) {
            problems.add(fields.lineOf(TONER_CRITICAL.name()), fields.at(TONER_CRITICAL.name()),
                    "must not be above " + TONER_WARNING.name() + " (" + policy.tonerWarning() + ")");
        }
        return policy;
    }

    private void atLeast(Fields fields, Setting<Duration> setting, Duration value, Setting<Duration> other,
            Duration otherValue) {
        if (value.compareTo(otherValue) < 0) {
            problems.add(fields.lineOf(setting.name()), fields.at(setting.name()), "must be at least " + other.name()
                    + " (" + Durations.format(otherValue) + "), not " + Durations.format(value));
        }
    }

    // ---- opening hours

    private OpeningHours hours(YamlNode node, String path, ZoneId zone) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        Map<DayOfWeek, List<TimeRange>> weekly = new EnumMap<>(DayOfWeek.class);
        YamlNode weekNode = fields.required("weekly");
        if (weekNode != null) {
            Fields week = Fields.of(weekNode, fields.at("weekly"), problems);
            for (DayOfWeek day : DayOfWeek.values()) {
                String key = day.name().toLowerCase(Locale.ROOT);
                YamlNode dayNode = week.node(key);
                if (dayNode == null) {
                    problems.add(week.lineOf(key), week.at(key), "is required (write closed if the site is closed that day)");
                    continue;
                }
                weekly.put(day, ranges(dayNode, week.at(key)));
            }
            week.rejectUnknown();
        }
        List<DatedHours> exceptions = new ArrayList<>();
        Map<LocalDate, Integer> dates = new HashMap<>();
        List<YamlNode> items = list(fields.node("exceptions"), fields.at("exceptions"));
        for (int i = 0; i < items.size(); i++) {
            Fields exception = Fields.of(items.get(i), fields.at("exceptions") + "[" + i + "]", problems);
            LocalDate date = date(exception, "date");
            YamlNode hoursNode = exception.required("hours");
            List<TimeRange> ranges = hoursNode == null ? null : ranges(hoursNode, exception.at("hours"));
            String note = exception.optText("note", null);
            exception.rejectUnknown();
            if (date != null) {
                Integer earlier = dates.putIfAbsent(date, exception.lineOf("date"));
                if (earlier != null) {
                    problems.add(exception.lineOf("date"), exception.at("date"),
                            date + " already has an exception (line " + earlier + ")");
                }
            }
            if (date != null && ranges != null) {
                exceptions.add(new DatedHours(date, ranges, note));
            }
        }
        fields.rejectUnknown();
        if (zone == null || weekly.size() < 7 || weekly.containsValue(null)) {
            return null;
        }
        return new OpeningHours(zone, weekly, exceptions);
    }

    private LocalDate date(Fields fields, String key) {
        String text = fields.text(key);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeException e) {
            problems.add(fields.lineOf(key), fields.at(key), "\"" + text + "\" is not a date: write YYYY-MM-DD");
            return null;
        }
    }

    /** {@code closed}, one {@code HH:MM-HH:MM}, or a list of them; null after a problem. */
    private List<TimeRange> ranges(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar scalar && "closed".equals(scalar.text())) {
            return List.of();
        }
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        boolean single = !(node instanceof YamlNode.Sequence);
        List<TimeRange> ranges = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String itemPath = single ? path : path + "[" + i + "]";
            TimeRange range = range(items.get(i), itemPath);
            if (range == null) {
                ok = false;
                continue;
            }
            for (TimeRange earlier : ranges) {
                if (earlier.overlaps(range)) {
                    problems.add(items.get(i).line(), itemPath, range + " overlaps " + earlier);
                    ok = false;
                }
            }
            ranges.add(range);
        }
        if (!ok) {
            return null;
        }
        ranges.sort(java.util.Comparator.comparingInt(TimeRange::startMinute));
        return ranges;
    }

    private TimeRange range(YamlNode node, String path) {
        if (!(node instanceof YamlNode.Scalar scalar) || scalar.isNull()) {
            problems.add(node.line(), path, "expected closed or a time range such as 08:00-22:00, found " + node.describe());
            return null;
        }
        Matcher m = TIME_RANGE.matcher(scalar.text().strip());
        if (!m.matches()) {
            problems.add(node.line(), path,
                    "\"" + scalar.text() + "\" is not a time range: write HH:MM-HH:MM (e.g. 08:00-22:00) or closed");
            return null;
        }
        int start = minuteOfDay(m.group(1), m.group(2), false);
        int end = minuteOfDay(m.group(3), m.group(4), true);
        if (start < 0 || end < 0) {
            String bad = start < 0 ? m.group(1) + ":" + m.group(2) : m.group(3) + ":" + m.group(4);
            problems.add(node.line(), path, bad + " is not a time of day (00:00 to 24:00)");
            return null;
        }
        if (end <= start) {
            problems.add(node.line(), path, scalar.text().strip()
                    + " ends before it starts (a range cannot cross midnight: end it at 24:00 and go on from 00:00)");
            return null;
        }
        return new TimeRange(start, end);
    }

    private static int minuteOfDay(String hours, String minutes, boolean mayBeMidnight) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !mayBeMidnight))) {
            return -1;
        }
        return h * 60 + m;
    }

    // ---- mqtt

    private MqttSpec mqtt(YamlNode node, String path, String siteId) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        URI url = uri(fields, MQTT_URL.name(), MQTT_URL.required(), Set.of("tcp", "ssl"));
        boolean tls = url != null && "ssl".equalsIgnoreCase(url.getScheme());
        if (url != null && (url.getUserInfo() != null || (url.getPath() != null && !url.getPath().isEmpty()
                && !url.getPath().equals("/")) || url.getQuery() != null)) {
            problems.add(fields.lineOf(MQTT_URL.name()), fields.at(MQTT_URL.name()),
                    "give only scheme, host and port (tcp://host:1883 or ssl://host:8883); the username and password have keys of their own");
            url = null;
        }
        String clientId = fields.optText(MQTT_CLIENT_ID.name(), siteId == null ? null : SiteSettings.defaultClientId(siteId));
        String username = MQTT_USERNAME.read(fields);
        Path passwordFile = file(fields, MQTT_PASSWORD_FILE);
        Path caFile = file(fields, MQTT_CA_FILE);
        Path certFile = file(fields, MQTT_CLIENT_CERT_FILE);
        Path keyFile = file(fields, MQTT_CLIENT_KEY_FILE);
        String topicRoot = MQTT_TOPIC_ROOT.read(fields);
        String discovery = MQTT_DISCOVERY_PREFIX.read(fields);
        fields.rejectUnknown();
        if (passwordFile != null && username == null) {
            problems.add(fields.lineOf(MQTT_PASSWORD_FILE.name()), fields.at(MQTT_PASSWORD_FILE.name()),
                    "a password needs a username");
        }
        if ((certFile == null) != (keyFile == null)) {
            Setting<Path> missing = certFile == null ? MQTT_CLIENT_CERT_FILE : MQTT_CLIENT_KEY_FILE;
            Setting<Path> given = certFile == null ? MQTT_CLIENT_KEY_FILE : MQTT_CLIENT_CERT_FILE;
            problems.add(fields.line, fields.at(missing.name()), "is required with " + given.name());
        }
        if (fields.has(MQTT_URL.name()) && !tls) {
            for (Setting<Path> tlsFile : List.of(MQTT_CA_FILE, MQTT_CLIENT_CERT_FILE, MQTT_CLIENT_KEY_FILE)) {
                if (fields.has(tlsFile.name())) {
                    problems.add(fields.lineOf(tlsFile.name()), fields.at(tlsFile.name()), "needs an ssl:// url");
                }
            }
        }
        for (Map.Entry<String, String> topic : Map.of(MQTT_TOPIC_ROOT.name(), String.valueOf(topicRoot),
                MQTT_DISCOVERY_PREFIX.name(), String.valueOf(discovery)).entrySet()) {
            if (!TOPIC_ROOT.matcher(topic.getValue()).matches()) {
                problems.add(fields.lineOf(topic.getKey()), fields.at(topic.getKey()), "\"" + topic.getValue()
                        + "\" is not a topic prefix: use letters, digits, _ and - in levels separated by /");
            }
        }
        return new MqttSpec(url, clientId, username, passwordFile, caFile, certFile, keyFile, topicRoot, discovery);
    }

    // ---- fleet

    private FleetSpec fleet(YamlNode node, String path, String siteId, int idLine) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        Path keyFile = file(fields, FLEET_KEY_FILE);
        Path ownerKeyFile = file(fields, FLEET_OWNER_KEY_FILE);
        for (Setting<Path> required : List.of(FLEET_KEY_FILE, FLEET_OWNER_KEY_FILE)) {
            if (!fields.has(required.name()) && fields.isValid()) {
                problems.add(fields.line, fields.at(required.name()), "is required: " + required.meaning());
            }
        }
        URI centre = uri(fields, FLEET_CENTRE_URL.name(), false, Set.of("ssl", "tcp"));
        Path caFile = file(fields, FLEET_CENTRE_CA_FILE);
        String username = fields.optText(FLEET_CENTRE_USERNAME.name(),
                siteId == null ? null : SiteSettings.defaultCentreUsername(siteId));
        Path passwordFile = file(fields, FLEET_CENTRE_PASSWORD_FILE);
        fields.rejectUnknown();
        if (FleetSpec.TOPIC_LEVEL.equals(siteId)) {
            problems.add(idLine, "id", "\"" + FleetSpec.TOPIC_LEVEL + "\" is the fleet's own topic level: give the site another id");
        }
        if (centre == null) {
            for (Setting<?> bridgeOnly : List.of(FLEET_CENTRE_CA_FILE, FLEET_CENTRE_USERNAME, FLEET_CENTRE_PASSWORD_FILE)) {
                if (fields.has(bridgeOnly.name())) {
                    problems.add(fields.lineOf(bridgeOnly.name()), fields.at(bridgeOnly.name()), "needs " + FLEET_CENTRE_URL.name());
                }
            }
        } else if (passwordFile == null && fields.isValid()) {
            problems.add(fields.line, fields.at(FLEET_CENTRE_PASSWORD_FILE.name()), "is required with " + FLEET_CENTRE_URL.name());
        }
        return keyFile == null || ownerKeyFile == null ? null
                : new FleetSpec(keyFile, ownerKeyFile, centre, caFile, username, passwordFile);
    }

    // ---- home assistant

    private HomeAssistantSpec homeAssistant(YamlNode node, String path) {
        if (node == null) {
            return HomeAssistantSpec.DEFAULTS;
        }
        Fields fields = Fields.of(node, path, problems);
        Boolean discovery = HOME_ASSISTANT_DISCOVERY.read(fields);
        Boolean allowControl = HOME_ASSISTANT_ALLOW_CONTROL.read(fields);
        fields.rejectUnknown();
        if (discovery == null || allowControl == null) {
            return HomeAssistantSpec.DEFAULTS;
        }
        if (allowControl && !discovery) {
            problems.add(fields.lineOf(HOME_ASSISTANT_ALLOW_CONTROL.name()), fields.at(HOME_ASSISTANT_ALLOW_CONTROL.name()),
                    "needs " + HOME_ASSISTANT_DISCOVERY.name() + ": true (without discovery Home Assistant gets no entities to control)");
        }
        return new HomeAssistantSpec(discovery, allowControl);
    }

    // ---- http

    private HttpSpec http(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        Path cert = null;
        Path key = null;
        for (Setting<Path> setting : List.of(HTTP_CERT_FILE, HTTP_KEY_FILE)) {
            boolean has = fields.has(setting.name());
            Path file = has ? file(fields, setting) : null;
            if (!has && fields.isValid()) {
                problems.add(fields.line, fields.at(setting.name()), "is required: HTTPS needs the site certificate and its key "
                        + "(kontor provision credentials writes them)");
            }
            if (setting == HTTP_CERT_FILE) {
                cert = file;
            } else {
                key = file;
            }
        }
        String bind = HTTP_BIND.read(fields);
        Integer port = HTTP_PORT.read(fields);
        fields.rejectUnknown();
        if (bind != null && !ipLiteral(bind)) {
            problems.add(fields.lineOf(HTTP_BIND.name()), fields.at(HTTP_BIND.name()),
                    "\"" + bind + "\" is not an IP address of this machine's interfaces, e.g. 0.0.0.0 or 192.168.1.10");
            bind = null;
        }
        return cert == null || key == null || bind == null || port == null ? null : new HttpSpec(bind, port, cert, key);
    }

    // ---- coap

    private CoapSpec coap(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        boolean hasFile = fields.has(COAP_PSK_FILE.name());
        Path pskFile = hasFile ? file(fields, COAP_PSK_FILE) : null;
        if (!hasFile && fields.isValid()) {
            problems.add(fields.line, fields.at(COAP_PSK_FILE.name()), "is required: the file with each node's pre-shared key");
        }
        String bind = COAP_BIND.read(fields);
        Integer port = COAP_PORT.read(fields);
        fields.rejectUnknown();
        if (bind != null && !ipLiteral(bind)) {
            problems.add(fields.lineOf(COAP_BIND.name()), fields.at(COAP_BIND.name()),
                    "\"" + bind + "\" is not an IP address of this machine's interfaces, e.g. 0.0.0.0 or 192.168.1.10");
            bind = null;
        }
        return pskFile == null || bind == null || port == null ? null : new CoapSpec(pskFile, bind, port);
    }

    /** An IPv4 or IPv6 address written out; never a name (that would need DNS while the file is checked). */
    private static boolean ipLiteral(String text) {
        if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(text);
            return !text.matches("[0-9.]+") || text.split("\\.", -1).length == 4;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private Path file(Fields fields, Setting<Path> setting) {
        String key = setting.name();
        String text = fields.optText(key, null);
        if (text == null) {
            return null;
        }
        try {
            Path file = Path.of(text);
            return baseDir == null || file.isAbsolute() ? file : baseDir.resolve(file);
        } catch (InvalidPathException e) {
            problems.add(fields.lineOf(key), fields.at(key), "\"" + text + "\" is not a file path");
            return null;
        }
    }

    private URI uri(Fields fields, String key, boolean required, Set<String> schemes) {
        String text = required ? fields.text(key) : fields.optText(key, null);
        if (text == null) {
            return null;
        }
        String allowed = String.join(", ", schemes.stream().sorted().map(s -> s + "://").toList());
        // A problem never repeats a password given in the URL (user:password@host), whatever it holds: up to the last @.
        String shown = text.strip().replaceFirst("^([^:/?#]*://).*@", "$1…@");
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                problems.add(fields.lineOf(key), fields.at(key), "\"" + shown + "\" must start with one of " + allowed);
                return null;
            }
            if (uri.getHost() == null) {
                problems.add(fields.lineOf(key), fields.at(key), "\"" + shown + "\" has no host name");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(fields.lineOf(key), fields.at(key), "\"" + shown + "\" is not a valid URI: " + e.getReason());
            return null;
        }
    }

    // ---- devices

    private void device(YamlNode node, String path, Policy policy) {
        Fields fields = Fields.of(node, path, problems);
        String id = id(fields, "id");
        owner = id == null ? path : id;
        String kind = fields.text("kind");
        if (kind == null) {
            declare(id, null, fields, path, null); // its other keys and references cannot be judged without a kind
            return;
        }
        if (kind.equals(LoanComputerSpec.KIND)) {
            problems.add(fields.lineOf("kind"), fields.at("kind"),
                    "loan computers are declared in loan_banks[].computers, not under devices");
            declare(id, null, fields, path, null);
            return;
        }
        if (kind.equals(LockerSpec.KIND)) {
            problems.add(fields.lineOf("kind"), fields.at("kind"),
                    "lockers are declared in locker_banks[].lockers, not under devices");
            declare(id, null, fields, path, null);
            return;
        }
        if (!KINDS.contains(kind)) {
            problems.add(fields.lineOf("kind"), fields.at("kind"), "unknown kind \"" + kind + "\" (one of: "
                    + String.join(", ", KINDS.stream().sorted().toList()) + ")");
            declare(id, null, fields, path, null);
            return;
        }
        DeviceSpec spec = switch (kind) {
            case ReaderSpec.KIND -> reader(fields, id);
            case DoorSpec.KIND -> door(fields, id);
            case PresenceSpec.KIND -> presence(fields, id);
            case LightSpec.KIND -> light(fields, id);
            case CounterSpec.KIND -> counter(fields, id);
            case ContactSpec.KIND -> contact(fields, id);
            case CopierSpec.KIND -> copier(fields, id);
            case PrinterSpec.KIND -> printer(fields, id, policy);
            default -> fire(fields, id);
        };
        fields.rejectUnknown();
        declare(id, kind, fields, path, spec);
    }

    private void declare(String id, String kind, Fields fields, String path, DeviceSpec spec) {
        if (id == null) {
            return;
        }
        Declared entry = new Declared(id, kind, fields.lineOf("id"), path, spec);
        Declared earlier = declared.putIfAbsent(id, entry);
        if (earlier != null) {
            problems.add(fields.lineOf("id"), fields.at("id"),
                    "duplicate id \"" + id + "\" (already used at " + earlier.path() + ", line " + earlier.line() + ")");
        } else if (kind != null && (KINDS.contains(kind) || LockerSpec.KIND.equals(kind)
                || LoanComputerSpec.KIND.equals(kind))) {
            devicesInOrder.add(entry);
        }
    }

    private ReaderSpec reader(Fields fields, String id) {
        YamlNode node = fields.required("wiegand");
        if (node == null) {
            return null;
        }
        Fields wiegand = Fields.of(node, fields.at("wiegand"), problems);
        GpioPin d0 = wiegandLine(wiegand, "d0");
        GpioPin d1 = wiegandLine(wiegand, "d1");
        wiegand.rejectUnknown();
        String role = fields.optText("role", null);
        if (role != null && !ReaderSpec.DESK.equals(role)) {
            problems.add(fields.lineOf("role"), fields.at("role"), "unknown role \"" + role
                    + "\" (the only one is \"desk\": the reader at the hosts' desk, whose taps find a member in the console)");
            role = null;
        }
        return d0 == null || d1 == null ? null : new ReaderSpec(id, new WiegandWiring(d0, d1), role);
    }

    /** Wiegand's data lines idle high and pulse low; they must be header pins for the bit timing. */
    private GpioPin wiegandLine(Fields wiegand, String key) {
        YamlNode node = wiegand.required(key);
        if (node == null) {
            return null;
        }
        Long bcm = Fields.integer(node, wiegand.at(key), problems, 0, 27);
        if (bcm == null) {
            return null;
        }
        GpioPin pin = new GpioPin(bcm.intValue(), true);
        use("GPIO" + bcm, pin.describe(), -1, wiegand.at(key), node.line());
        return pin;
    }

    private DoorSpec door(Fields fields, String id) {
        LockWiring strike = lock(fields, "strike", true);
        InputWiring contact = input(fields, "contact", true);
        InputWiring exit = input(fields, "exit_button", false);
        return strike == null || contact == null || (fields.has("exit_button") && exit == null)
                ? null : new DoorSpec(id, strike, contact, exit);
    }

    private PresenceSpec presence(Fields fields, String id) {
        String source = oneSource(fields, "input", "input (a wired pin)");
        if (source == null) {
            return null;
        }
        if (source.equals("input")) {
            InputWiring input = input(fields, "input", true);
            return input == null ? null : new PresenceSpec(id, new PresenceSpec.Wired(input));
        }
        return fieldSource(fields, source) instanceof PresenceSpec.Source s ? new PresenceSpec(id, s) : null;
    }

    private ContactSpec contact(Fields fields, String id) {
        String source = oneSource(fields, null, null);
        FieldSource field = source == null ? null : fieldSource(fields, source);
        return field == null ? null : new ContactSpec(id, field);
    }

    /**
     * Which one source a device names: {@code wiredKey} (its pin, described as {@code wired}), {@code mqtt} or
     * {@code coap}; null, with the problem noted, unless exactly one is given.
     */
    private String oneSource(Fields fields, String wiredKey, String wired) {
        List<String> given = new ArrayList<>();
        List<String> keys = wiredKey == null ? List.of("mqtt", "coap") : List.of(wiredKey, "mqtt", "coap");
        for (String key : keys) {
            if (fields.has(key)) {
                given.add(key);
            }
        }
        if (given.size() != 1) {
            problems.add(fields.line, fields.path, given.isEmpty()
                    ? "needs one source: " + (wired == null ? "" : wired + ", ") + "mqtt {topic} or coap {report_interval}"
                    : "give only one source, not " + String.join(" and ", given));
            return null;
        }
        return given.getFirst();
    }

    /** The {@code mqtt} or {@code coap} section of a field device. */
    private FieldSource fieldSource(Fields fields, String key) {
        Fields section = Fields.of(fields.node(key), fields.at(key), problems);
        if (key.equals("mqtt")) {
            String topic = topic(section, "topic", true);
            String availability = topic(section, "availability_topic", false);
            Duration interval = section.has("report_interval")
                    ? section.duration("report_interval", null, Duration.ofSeconds(10), Duration.ofDays(7)) : null;
            section.rejectUnknown();
            boolean intervalBad = section.has("report_interval") && interval == null;
            return topic == null || intervalBad ? null : new PresenceSpec.MqttSource(topic, availability, interval);
        }
        Duration interval = section.duration("report_interval", Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofHours(24));
        section.rejectUnknown();
        return interval == null ? null : new PresenceSpec.CoapSource(interval);
    }

    private String topic(Fields fields, String key, boolean required) {
        String topic = required ? fields.text(key) : fields.optText(key, null);
        if (topic != null && (topic.isBlank() || topic.contains("+") || topic.contains("#") || topic.startsWith("/"))) {
            problems.add(fields.lineOf(key), fields.at(key),
                    "\"" + topic + "\" is not a topic to subscribe to: no wildcards (+, #) and no leading /");
            return null;
        }
        return topic;
    }

    private LightSpec light(Fields fields, String id) {
        Pin green = pinAt(fields, "green", true);
        Pin amber = pinAt(fields, "amber", false);
        Pin red = pinAt(fields, "red", true);
        return green == null || red == null || (fields.has("amber") && amber == null)
                ? null : new LightSpec(id, new LightWiring(green, amber, red));
    }

    private CounterSpec counter(Fields fields, String id) {
        if (fields.has("mqtt") || fields.has("coap")) {
            for (String wired : List.of("in", "out")) {
                if (fields.has(wired)) {
                    problems.add(fields.lineOf(wired), fields.at(wired), "a field device (mqtt or coap) has no pins");
                }
            }
            String source = oneSource(fields, null, null);
            FieldSource field = source == null ? null : fieldSource(fields, source);
            return field == null ? null : new CounterSpec(id, null, field);
        }
        Pin in = pinAt(fields, "in", true);
        Pin out = pinAt(fields, "out", true);
        return in == null || out == null ? null : new CounterSpec(id, new CounterWiring(in, out));
    }

    private CopierSpec copier(Fields fields, String id) {
        Pin enable = pinAt(fields, "enable", true);
        Pin mono = pinAt(fields, "mono_pulse", true);
        Pin colour = pinAt(fields, "colour_pulse", false);
        YamlNode readerNode = fields.required("reader");
        String reader = readerNode == null ? null : Fields.text(readerNode, fields.at("reader"), problems);
        if (reader != null) {
            machineReaders.add(new PendingReference(readerNode, fields.at("reader"), ReaderSpec.KIND, owner));
        }
        YamlNode priceNode = fields.required("price_per_page");
        Long priceMono = null;
        Long priceColour = null;
        boolean pricesOk = false;
        if (priceNode != null) {
            Fields price = Fields.of(priceNode, fields.at("price_per_page"), problems);
            priceMono = price.integer("mono", 0, 1_000_000);
            priceColour = price.optInteger("colour", null, 0, 1_000_000);
            pricesOk = priceMono != null && (price.has("colour") == (priceColour != null));
            if (fields.has("colour_pulse") && !price.has("colour")) {
                problems.add(price.line, price.at("colour"), "is required: the copier has a colour_pulse line");
                pricesOk = false;
            }
            if (!fields.has("colour_pulse") && price.has("colour")) {
                problems.add(price.lineOf("colour"), price.at("colour"), "has no colour_pulse line to count colour pages");
                pricesOk = false;
            }
            price.rejectUnknown();
        }
        boolean ok = enable != null && mono != null && (colour != null || !fields.has("colour_pulse"))
                && reader != null && pricesOk;
        return ok ? new CopierSpec(id, new CopierWiring(enable, mono, colour), reader, priceMono, priceColour) : null;
    }

    private PrinterSpec printer(Fields fields, String id, Policy policy) {
        URI ipp = uri(fields, "ipp", false, Set.of("ipp", "ipps", "http", "https"));
        // A printer's own poll: the site's policy.printer_poll by default, within the same range.
        Duration poll = fields.duration("poll", policy.printerPoll(), PRINTER_POLL.min(), PRINTER_POLL.max());
        boolean ok = (ipp != null || !fields.has("ipp")) && poll != null;
        // A release reader makes it a printer of the held print queue, which then needs its page prices.
        String reader = null;
        Long priceMono = null;
        Long priceColour = null;
        YamlNode readerNode = fields.node("reader");
        if (readerNode != null) {
            reader = Fields.text(readerNode, fields.at("reader"), problems);
            if (reader != null) {
                machineReaders.add(new PendingReference(readerNode, fields.at("reader"), ReaderSpec.KIND, owner));
            }
            YamlNode priceNode = fields.required("price_per_page");
            if (priceNode != null) {
                Fields price = Fields.of(priceNode, fields.at("price_per_page"), problems);
                priceMono = price.integer("mono", 0, 1_000_000);
                priceColour = price.optInteger("colour", null, 0, 1_000_000);
                price.rejectUnknown();
                ok &= priceMono != null && (priceColour != null || !price.has("colour"));
            } else {
                ok = false;
            }
            ok &= reader != null;
        } else if (fields.has("price_per_page")) {
            problems.add(fields.lineOf("price_per_page"), fields.at("price_per_page"),
                    "is only for a printer with a release reader (reader: …), which prints the held print queue");
            ok = false;
        }
        return ok ? new PrinterSpec(id, ipp, poll, reader, priceMono, priceColour) : null;
    }

    private FireSpec fire(Fields fields, String id) {
        InputWiring input = input(fields, "input", true);
        return input == null ? null : new FireSpec(id, input);
    }

    // ---- wiring

    /** A lock: its output pin's keys, plus {@code feedback} (a pin, active = locked) and {@code fail_safe}. */
    private LockWiring lock(Fields parent, String key, boolean failSafeByDefault) {
        YamlNode node = parent.required(key);
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, parent.at(key), problems);
        Pin output = pin(fields);
        Pin feedback = pinAt(fields, "feedback", false);
        Boolean failSafe = fields.bool("fail_safe", failSafeByDefault);
        fields.rejectUnknown();
        boolean ok = output != null && failSafe != null && (feedback != null || !fields.has("feedback"));
        return ok ? new LockWiring(output, feedback, failSafe) : null;
    }

    /** An input: its pin's keys, plus {@code debounce}. */
    private InputWiring input(Fields parent, String key, boolean required) {
        YamlNode node = required ? parent.required(key) : parent.node(key);
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, parent.at(key), problems);
        Pin pin = pin(fields);
        Duration debounce = fields.duration("debounce", InputWiring.DEFAULT_DEBOUNCE, Duration.ZERO, DEBOUNCE_MAX);
        fields.rejectUnknown();
        return pin == null || debounce == null ? null : new InputWiring(pin, debounce);
    }

    private Pin pinAt(Fields parent, String key, boolean required) {
        YamlNode node = required ? parent.required(key) : parent.node(key);
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, parent.at(key), problems);
        Pin pin = pin(fields);
        fields.rejectUnknown();
        return pin;
    }

    /** {@code gpio: N} (BCM) or {@code mcp23017: {bus, address, pin}}, with {@code active_low}. */
    private Pin pin(Fields fields) {
        YamlNode gpio = fields.node("gpio");
        YamlNode expander = fields.node("mcp23017");
        Boolean activeLow = fields.bool("active_low", false);
        if (gpio != null && expander != null) {
            problems.add(fields.line, fields.path, "give either gpio or mcp23017, not both");
            return null;
        }
        if (gpio == null && expander == null) {
            if (!fields.isValid()) {
                return null;
            }
            problems.add(fields.line, fields.path, "needs a pin: gpio: N (BCM 0-27) or mcp23017: {bus, address, pin}");
            return null;
        }
        if (gpio != null) {
            Long bcm = Fields.integer(gpio, fields.at("gpio"), problems, 0, 27);
            if (bcm == null || activeLow == null) {
                return null;
            }
            GpioPin pin = new GpioPin(bcm.intValue(), activeLow);
            use("GPIO" + bcm, "GPIO" + bcm, -1, fields.at("gpio"), gpio.line());
            return pin;
        }
        Fields chip = Fields.of(expander, fields.at("mcp23017"), problems);
        Long bus = chip.integer("bus", 0, 31);
        Long address = chip.integer("address", 0, 0x7f);
        Long number = chip.integer("pin", 0, 15);
        chip.rejectUnknown();
        if (address != null && (address < 0x20 || address > 0x27)) {
            problems.add(chip.lineOf("address"), chip.at("address"),
                    "an MCP23017 answers at 0x20 to 0x27, not 0x" + Long.toHexString(address));
            return null;
        }
        if (bus == null || address == null || number == null || activeLow == null) {
            return null;
        }
        ExpanderPin pin = new ExpanderPin(bus.intValue(), address.intValue(), number.intValue(), activeLow);
        String where = new ExpanderPin(pin.bus(), pin.address(), pin.pin(), false).describe();
        use(where, where, pin.bus(), fields.at("mcp23017"), expander.line());
        return pin;
    }

    private void use(String key, String description, int bus, String path, int line) {
        pins.add(new PinUse(key, description, bus, path, line, owner));
    }

    private void checkPins() {
        Map<String, PinUse> first = new HashMap<>();
        for (PinUse use : pins) {
            PinUse earlier = first.putIfAbsent(use.key(), use);
            if (earlier != null) {
                problems.add(use.line(), use.path(), use.description() + " is already used by " + earlier.owner()
                        + " (" + earlier.path() + ", line " + earlier.line() + ")");
            }
        }
        // An MCP23017 on I2C bus 1 talks over GPIO2 (SDA) and GPIO3 (SCL); bus 0 over GPIO0 and GPIO1.
        Map<Integer, PinUse> buses = new HashMap<>();
        pins.stream().filter(p -> p.bus() >= 0).forEach(p -> buses.putIfAbsent(p.bus(), p));
        for (PinUse use : pins) {
            for (Map.Entry<Integer, PinUse> bus : buses.entrySet()) {
                if (bus.getKey() <= 1 && (use.key().equals("GPIO" + 2 * bus.getKey())
                        || use.key().equals("GPIO" + (2 * bus.getKey() + 1)))) {
                    problems.add(use.line(), use.path(), use.description() + " is a line of I2C bus " + bus.getKey()
                            + ", which the MCP23017 at " + bus.getValue().path() + " needs");
                }
            }
        }
    }

    // ---- structure

    private LockerBank lockerBank(YamlNode node, String path) {
        Fields fields = Fields.of(node, path, problems);
        String id = id(fields, "id");
        owner = id == null ? path : id;
        declare(id, "locker_bank", fields, path, null);
        String name = fields.optText("name", id);
        Long deposit = fields.optInteger("deposit", 0L, 0, 1_000_000_000L);
        List<LockerSpec> lockers = new ArrayList<>();
        Map<Long, String> numbers = new HashMap<>();
        List<YamlNode> items = list(fields.required("lockers"), fields.at("lockers"));
        for (int i = 0; i < items.size(); i++) {
            String lockerPath = fields.at("lockers") + "[" + i + "]";
            Fields locker = Fields.of(items.get(i), lockerPath, problems);
            String lockerId = id(locker, "id");
            owner = lockerId == null ? lockerPath : lockerId;
            Long number = locker.optInteger("number", (long) i + 1, 1, 9999);
            LockerType type = lockerType(locker);
            LockWiring lock = lock(locker, "lock", false);
            InputWiring contact = input(locker, "contact", false);
            locker.rejectUnknown();
            if (number != null) {
                String earlier = numbers.putIfAbsent(number, lockerPath);
                if (earlier != null) {
                    problems.add(locker.lineOf("number"), locker.at("number"),
                            "number " + number + " is already taken in this bank by " + earlier);
                }
            }
            boolean ok = lockerId != null && number != null && type != null && lock != null
                    && (contact != null || !locker.has("contact"));
            LockerSpec spec = ok ? new LockerSpec(lockerId, id, number.intValue(), type, lock, contact) : null;
            declare(lockerId, LockerSpec.KIND, locker, lockerPath, spec);
            if (spec != null) {
                lockers.add(spec);
            }
        }
        owner = id == null ? path : id;
        ReaderSpec reader = (ReaderSpec) reference(fields, "reader", ReaderSpec.KIND, true);
        fields.rejectUnknown();
        return new LockerBank(id, name, reader, deposit == null ? 0 : deposit, lockers);
    }

    /**
     * A bank of loan computers: like a locker bank, but every bay must have a door contact and a present input
     * (a loan ends only on "laptop back and door shut"); the charge input is optional.
     */
    private LoanBank loanBank(YamlNode node, String path) {
        Fields fields = Fields.of(node, path, problems);
        String id = id(fields, "id");
        owner = id == null ? path : id;
        declare(id, "loan_bank", fields, path, null);
        String name = fields.optText("name", id);
        Long deposit = fields.optInteger("deposit", 0L, 0, 1_000_000_000L);
        List<LoanComputerSpec> computers = new ArrayList<>();
        Map<Long, String> numbers = new HashMap<>();
        List<YamlNode> items = list(fields.required("computers"), fields.at("computers"));
        for (int i = 0; i < items.size(); i++) {
            String bayPath = fields.at("computers") + "[" + i + "]";
            Fields bay = Fields.of(items.get(i), bayPath, problems);
            String bayId = id(bay, "id");
            owner = bayId == null ? bayPath : bayId;
            Long number = bay.optInteger("number", (long) i + 1, 1, 9999);
            LockWiring lock = lock(bay, "lock", false);
            InputWiring contact = input(bay, "contact", true);
            InputWiring present = input(bay, "present", true);
            InputWiring charged = input(bay, "charged", false);
            CalendarSpec bayCalendar = calendar(bay.node("calendar"), bay.at("calendar"));
            bay.rejectUnknown();
            if (number != null) {
                String earlier = numbers.putIfAbsent(number, bayPath);
                if (earlier != null) {
                    problems.add(bay.lineOf("number"), bay.at("number"),
                            "number " + number + " is already taken in this bank by " + earlier);
                }
            }
            boolean ok = bayId != null && number != null && lock != null && contact != null && present != null
                    && (charged != null || !bay.has("charged"));
            LoanComputerSpec spec = ok
                    ? new LoanComputerSpec(bayId, id, number.intValue(), lock, contact, present, charged, bayCalendar) : null;
            declare(bayId, LoanComputerSpec.KIND, bay, bayPath, spec);
            if (spec != null) {
                computers.add(spec);
            }
        }
        owner = id == null ? path : id;
        ReaderSpec reader = (ReaderSpec) reference(fields, "reader", ReaderSpec.KIND, true);
        CalendarSpec calendar = calendar(fields.node("calendar"), fields.at("calendar"));
        fields.rejectUnknown();
        return new LoanBank(id, name, reader, deposit == null ? 0 : deposit, computers, calendar);
    }

    private LockerType lockerType(Fields locker) {
        String text = locker.optText("type", LockerType.DAY.yamlName());
        if (text == null) {
            return null;
        }
        for (LockerType type : LockerType.values()) {
            if (type.yamlName().equals(text)) {
                return type;
            }
        }
        problems.add(locker.lineOf("type"), locker.at("type"), "\"" + text + "\" is not a locker type (day or rental)");
        return null;
    }

    private Room room(YamlNode node, String path) {
        Fields fields = Fields.of(node, path, problems);
        String id = id(fields, "id");
        owner = id == null ? path : id;
        declare(id, "room", fields, path, null);
        String name = fields.text("name");
        Long seats = fields.integer("seats", 1, 1000);
        ReaderSpec reader = (ReaderSpec) reference(fields, "reader", ReaderSpec.KIND, true);
        DoorSpec door = (DoorSpec) reference(fields, "door", DoorSpec.KIND, false);
        List<PresenceSpec> presence = new ArrayList<>();
        YamlNode presenceNode = fields.node("presence");
        List<YamlNode> sensors = presenceNode instanceof YamlNode.Scalar ? List.of(presenceNode)
                : list(presenceNode, fields.at("presence"));
        for (int i = 0; i < sensors.size(); i++) {
            String sensorPath = presenceNode instanceof YamlNode.Scalar ? fields.at("presence")
                    : fields.at("presence") + "[" + i + "]";
            DeviceSpec sensor = reference(sensors.get(i), sensorPath, PresenceSpec.KIND);
            if (sensor != null) {
                presence.add((PresenceSpec) sensor);
            }
        }
        LightSpec light = (LightSpec) reference(fields, "light", LightSpec.KIND, false);
        CalendarSpec calendar = calendar(fields.node("calendar"), fields.at("calendar"));
        fields.rejectUnknown();
        return new Room(id, name, seats == null ? 0 : seats.intValue(), reader, door, presence, light, calendar);
    }

    /**
     * A room's, a loan bank's or a loan computer's {@code calendar:}: exactly one of {@code ics} (a published feed, read only) and {@code caldav} (a
     * collection, read-write), an optional {@code username} with its {@code password_file}, and {@code poll}.
     * Credentials never go in the URL: the site file is read by more people than the secrets are.
     */
    private CalendarSpec calendar(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        Fields fields = Fields.of(node, path, problems);
        URI ics = uri(fields, CALENDAR_ICS.name(), false, Set.of("http", "https"));
        URI caldav = uri(fields, CALENDAR_CALDAV.name(), false, Set.of("http", "https"));
        String username = CALENDAR_USERNAME.read(fields);
        Path passwordFile = file(fields, CALENDAR_PASSWORD_FILE);
        Duration poll = CALENDAR_POLL.read(fields);
        fields.rejectUnknown();
        if (!fields.isValid()) {
            return null;
        }
        if (fields.has("ics") == fields.has("caldav")) {
            problems.add(fields.line, path, fields.has("ics")
                    ? "give either ics (a published feed, read only) or caldav (a collection Kontor also writes to), not both"
                    : "needs ics: (the URL of a published iCalendar feed) or caldav: (the URL of a CalDAV collection)");
            return null;
        }
        URI url = ics != null ? ics : caldav;
        String key = ics != null ? "ics" : "caldav";
        if (url == null) {
            return null;
        }
        if (url.getRawUserInfo() != null) {
            // Not echoed: the text holds a password.
            problems.add(fields.lineOf(key), fields.at(key), "the URL holds a user name or password: give username: and "
                    + "password_file: (a file of mode 600) instead, so the password is not in the site file");
            return null;
        }
        if (passwordFile != null && username == null) {
            problems.add(fields.lineOf(CALENDAR_PASSWORD_FILE.name()), fields.at(CALENDAR_PASSWORD_FILE.name()),
                    "a password needs a username");
            return null;
        }
        return new CalendarSpec(ics != null ? CalendarSpec.Kind.ICS : CalendarSpec.Kind.CALDAV, url, username,
                passwordFile, poll);
    }

    private Entrance entrance(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        owner = "the entrance";
        Fields fields = Fields.of(node, path, problems);
        DoorSpec door = (DoorSpec) reference(fields, "door", DoorSpec.KIND, true);
        ReaderSpec reader = (ReaderSpec) reference(fields, "reader", ReaderSpec.KIND, false);
        CounterSpec counter = (CounterSpec) reference(fields, "counter", CounterSpec.KIND, false);
        fields.rejectUnknown();
        return new Entrance(door, reader, counter);
    }

    private void checkFireInputsAreUsed(FireSpec used) {
        for (Declared device : declared.values()) {
            if (FireSpec.KIND.equals(device.kind()) && !usedAt.containsKey(device.id())) {
                problems.add(device.line(), device.path(), "the fire input \"" + device.id()
                        + "\" is not used: name it at the top level with fire_input: " + device.id());
            }
        }
    }

    private DeviceSpec reference(Fields fields, String key, String kind, boolean required) {
        YamlNode node = required ? fields.required(key) : fields.node(key);
        return node == null ? null : reference(node, fields.at(key), kind);
    }

    /**
     * The device a reference names, if it exists, is of that kind, and is not already used elsewhere (a reader,
     * door, light or sensor belongs to exactly one place). Null after a problem, or when the device itself had one.
     */
    private DeviceSpec reference(YamlNode node, String path, String kind) {
        String id = Fields.text(node, path, problems);
        if (id == null) {
            return null;
        }
        Declared target = declared.get(id);
        if (target == null) {
            problems.add(node.line(), path, "there is no device \"" + id + "\" (expected a " + kind + ")");
            return null;
        }
        if (target.kind() == null) {
            return null; // its kind is wrong, and already reported
        }
        if (!kind.equals(target.kind())) {
            problems.add(node.line(), path, "\"" + id + "\" is a " + target.kind() + ", not a " + kind);
            return null;
        }
        String earlier = usedAt.putIfAbsent(id, path);
        if (earlier != null) {
            problems.add(node.line(), path, "\"" + id + "\" is already used at " + earlier);
            return null;
        }
        return target.spec();
    }

    private List<YamlNode> list(YamlNode node, String path) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence.items();
        }
        problems.add(node.line(), path, "expected a list (lines starting with -), found " + node.describe());
        return List.of();
    }
}
