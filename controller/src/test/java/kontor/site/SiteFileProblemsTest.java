package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteFileProblemsTest {

    /** A small valid site; tests append to it or replace parts of it. */
    static final String MINIMAL = """
            id: small
            name: Small office
            time_zone: Europe/Stockholm
            capacity: 10
            currency: EUR
            hours:
              weekly:
                monday: 08:00-22:00
                tuesday: 08:00-22:00
                wednesday: 08:00-22:00
                thursday: 08:00-22:00
                friday: 08:00-22:00
                saturday: closed
                sunday: closed
            devices:
              - id: reader-1
                kind: card_reader
                wiegand: {d0: 5, d1: 6}
              - id: door-1
                kind: door
                strike: {gpio: 17}
                contact: {gpio: 27, active_low: true}
            rooms:
              - id: room-1
                name: One
                seats: 4
                reader: reader-1
                door: door-1
            """;

    @Test
    void minimal_site_is_valid_with_defaults() throws Exception {
        Site site = SiteFiles.parse("small.yaml", MINIMAL);
        assertThat(site.minorUnitDigits()).isEqualTo(2);
        assertThat(site.policy()).isEqualTo(Policy.defaults());
        assertThat(site.device("door-1", DoorSpec.class).orElseThrow().strike().failSafe()).isTrue();
        assertThat(site.entrance()).isNull();
        assertThat(site.fireInput()).isNull();
    }

    @Test
    void a_file_with_many_faults_reports_each_at_its_line_and_path() throws Exception {
        Path file = Path.of(getClass().getResource("/sites/many-faults.yaml").toURI());
        SiteFileException e = catchThrowableOfType(SiteFileException.class, () -> SiteFiles.load(file));

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                tuple(2, "id"),
                tuple(4, "time_zone"),
                tuple(5, "capacity"),
                tuple(6, "currency"),
                tuple(7, "colour"),
                tuple(10, "hours.weekly.sunday"),
                tuple(11, "hours.weekly.monday"),
                tuple(12, "hours.weekly.tuesday"),
                tuple(13, "hours.weekly.wednesday[1]"),
                tuple(18, "hours.exceptions[0].date"),
                tuple(22, "policy.strike_time"),
                tuple(23, "policy.lockout"),
                tuple(24, "policy.toner_warning"),
                tuple(25, "policy.double_tap"),
                tuple(28, "mqtt.url"),
                tuple(33, "devices[0].wiegand.d1"),
                tuple(36, "devices[1].strike.gpio"),
                tuple(37, "devices[1].contact.mcp23017.address"),
                tuple(38, "devices[2].id"),
                tuple(42, "devices[2].exitbutton"),
                tuple(45, "devices[3].ipp"),
                tuple(47, "devices[4].kind"),
                tuple(53, "rooms[0].reader"),
                tuple(54, "rooms[0].door"));
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));
        assertThat(e.problems().get(10).toString())
                .isEqualTo(file + ":22: policy.strike_time: must not be negative, not -5s");
        assertThat(messageAt(e, "hours.weekly.monday")).contains("25:00 is not a time of day");
        assertThat(messageAt(e, "hours.weekly.tuesday")).contains("ends before it starts");
        assertThat(messageAt(e, "hours.weekly.wednesday[1]")).isEqualTo("11:00-14:00 overlaps 08:00-12:00");
        assertThat(messageAt(e, "time_zone")).contains("unknown time zone \"Europe/Stokholm\"");
        assertThat(messageAt(e, "devices[1].strike.gpio")).contains("GPIO17 is already used by reader-a");
        assertThat(messageAt(e, "devices[2].id")).contains("duplicate id \"door-a\"");
        assertThat(messageAt(e, "devices[2].exitbutton")).contains("did you mean \"exit_button\"");
        assertThat(messageAt(e, "rooms[0].reader")).isEqualTo("\"door-a\" is a door, not a card_reader");
        assertThat(messageAt(e, "rooms[0].door")).contains("there is no device \"door-b\"");
        assertThat(messageAt(e, "devices[3].ipp")).contains("must start with one of");
    }

    @Test
    void overlapping_ranges_within_a_day_are_rejected() {
        List<Problem> problems = problems(MINIMAL.replace("friday: 08:00-22:00", "friday: [08:00-12:00, 13:00-17:00, 16:30-20:00]"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.path()).isEqualTo("hours.weekly.friday[2]");
            assertThat(p.message()).isEqualTo("16:30-20:00 overlaps 13:00-17:00");
        });
    }

    @Test
    void touching_ranges_and_midnight_are_fine() throws Exception {
        Site site = SiteFiles.parse("t.yaml", MINIMAL.replace("friday: 08:00-22:00", "friday: [08:00-12:00, 12:00-24:00]"));
        assertThat(site.hours().weekly().get(java.time.DayOfWeek.FRIDAY)).extracting(TimeRange::toString)
                .containsExactly("08:00-12:00", "12:00-24:00");
    }

    @Test
    void a_pin_used_twice_names_its_first_user() {
        String yaml = MINIMAL.replace("contact: {gpio: 27, active_low: true}", "contact: {gpio: 17}");
        assertThat(problems(yaml)).singleElement().hasToString(
                "t.yaml:22: devices[1].contact.gpio: GPIO17 is already used by door-1 (devices[1].strike.gpio, line 21)");
    }

    @Test
    void an_expander_pin_used_twice_is_caught_by_bus_address_and_pin() {
        String yaml = MINIMAL
                .replace("strike: {gpio: 17}", "strike: {mcp23017: {bus: 1, address: 0x20, pin: 3}}")
                .replace("contact: {gpio: 27, active_low: true}", "contact: {mcp23017: {bus: 1, address: 32, pin: 3}}");
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("devices[1].contact.mcp23017");
            assertThat(p.message()).startsWith("mcp23017@1:0x20/A3 is already used by door-1");
        });
    }

    @Test
    void the_i2c_lines_of_a_used_expander_bus_are_taken() {
        String yaml = MINIMAL
                .replace("strike: {gpio: 17}", "strike: {mcp23017: {bus: 1, address: 0x20, pin: 3}}")
                .replace("contact: {gpio: 27, active_low: true}", "contact: {gpio: 2}");
        assertThat(problems(yaml)).singleElement().satisfies(p ->
                assertThat(p.message()).contains("GPIO2 is a line of I2C bus 1"));
    }

    @Test
    void an_unknown_key_is_reported_where_it_is_with_a_suggestion() {
        List<Problem> problems = problems(MINIMAL.replace("    seats: 4\n", "    seats: 4\n    sets: 4\n"));
        assertThat(problems).singleElement().hasToString("t.yaml:27: rooms[0].sets: unknown key; did you mean \"seats\"?");
    }

    @Test
    void missing_required_fields_point_at_their_mapping() {
        List<Problem> problems = problems(MINIMAL.replace("    reader: reader-1\n", "").replace("name: Small office\n", ""));
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "t.yaml:1: name: is required",
                "t.yaml:23: rooms[0].reader: is required");
    }

    @Test
    void wrong_types_say_what_was_expected_and_found() {
        List<Problem> problems = problems(MINIMAL.replace("seats: 4", "seats: four").replace("wiegand: {d0: 5, d1: 6}", "wiegand: [5, 6]"));
        assertThat(problems).extracting(Problem::path, Problem::message).containsExactly(
                tuple("devices[0].wiegand", "expected a mapping (key: value), found a list"),
                tuple("rooms[0].seats", "expected a whole number, found \"four\""));
    }

    @Test
    void a_yaml_syntax_error_is_reported_with_its_line() {
        List<Problem> problems = problems(MINIMAL.replace("    seats: 4\n", "    seats: 4\n  - : :\n   bad: [\n"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(27);
            assertThat(p.message()).startsWith("YAML syntax error: ");
        });
    }

    @Test
    void a_duplicate_key_is_a_problem() {
        List<Problem> problems = problems(MINIMAL.replace("capacity: 10\n", "capacity: 10\ncapacity: 12\n"));
        assertThat(problems).singleElement().hasToString("t.yaml:5: capacity: duplicate key (already given on line 4)");
    }

    @Test
    void an_empty_file_is_a_problem() {
        assertThat(problems("# nothing\n")).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("the file is empty"));
    }

    @Test
    void references_must_exist_be_of_the_right_kind_and_belong_to_one_place() {
        String yaml = MINIMAL + """
                  - id: room-2
                    name: Two
                    seats: 2
                    reader: reader-1
                    door: reader-1
                    light: light-9
                entrance:
                  door: door-1
                """;
        assertThat(problems(yaml)).extracting(Problem::path, Problem::message).containsExactly(
                tuple("rooms[1].reader", "\"reader-1\" is already used at rooms[0].reader"),
                tuple("rooms[1].door", "\"reader-1\" is a card_reader, not a door"),
                tuple("rooms[1].light", "there is no device \"light-9\" (expected a status_light)"),
                tuple("entrance.door", "\"door-1\" is already used at rooms[0].door"));
    }

    @Test
    void absurd_policy_numbers_and_inconsistent_rules_are_rejected() {
        String yaml = MINIMAL + """
                policy:
                  locker_pulse: 2h
                  accessible_strike_time: 2s
                  toner_warning: 10
                  toner_critical: 20
                  credit_limit: -100
                  journal_retention: 90d
                """;
        assertThat(problems(yaml)).extracting(Problem::path, Problem::message).containsExactly(
                tuple("policy.locker_pulse", "must be between 50ms and 10s, not 2h"),
                tuple("policy.accessible_strike_time", "must be at least strike_time (5s), not 2s"),
                tuple("policy.toner_critical", "must not be above toner_warning (10)"),
                tuple("policy.credit_limit", "must be between 0 and 1000000000, not -100"));
    }

    @Test
    void policy_values_override_defaults() throws Exception {
        Site site = SiteFiles.parse("t.yaml", MINIMAL + """
                policy:
                  strike_time: 3s
                  max_booking_length: 2h30m
                  relock_on_open: false
                  locker_rental_fee: 15000
                """);
        assertThat(site.policy().strikeTime()).hasSeconds(3);
        assertThat(site.policy().maxBookingLength()).hasMinutes(150);
        assertThat(site.policy().relockOnOpen()).isFalse();
        assertThat(site.policy().lockerRentalFee()).isEqualTo(15000);
        assertThat(site.policy().doubleTap()).hasSeconds(4);
    }

    @Test
    void mqtt_settings_are_checked_and_files_resolve_next_to_the_site_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, MINIMAL + """
                mqtt:
                  url: ssl://broker.example.org:8883
                  username: kontor-small
                  password_file: secrets/password
                """);
        MqttSpec mqtt = SiteFiles.load(file).mqtt();
        assertThat(mqtt.tls()).isTrue();
        assertThat(mqtt.passwordFile()).isEqualTo(dir.toAbsolutePath().resolve("secrets/password"));
        assertThat(mqtt.topicRoot()).isEqualTo("kontor");
        assertThat(mqtt.discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(mqtt.clientId()).isEqualTo("kontor-small");

        assertThat(problems(MINIMAL + """
                mqtt:
                  url: tcp://user:secret@broker
                  ca_file: ca.pem
                  client_key_file: key.pem
                  topic_root: kontor/#
                """)).extracting(Problem::path).containsExactlyInAnyOrder(
                "mqtt.url", "mqtt.client_cert_file", "mqtt.ca_file", "mqtt.client_key_file", "mqtt.topic_root");
    }

    @Test
    void presence_sensors_take_exactly_one_source() throws Exception {
        String sensors = """
                  - {id: pir-1, kind: presence_sensor, input: {gpio: 22}}
                  - {id: zb-1, kind: presence_sensor, mqtt: {topic: zigbee2mqtt/motion-1}}
                  - {id: node-1, kind: presence_sensor, coap: {}}
                rooms:""";
        Site site = SiteFiles.parse("t.yaml", MINIMAL.replace("rooms:", sensors));
        assertThat(site.device("zb-1", PresenceSpec.class).orElseThrow().source())
                .isEqualTo(new PresenceSpec.MqttSource("zigbee2mqtt/motion-1", null));
        assertThat(site.device("node-1", PresenceSpec.class).orElseThrow().source())
                .isEqualTo(new PresenceSpec.CoapSource(java.time.Duration.ofMinutes(5)));

        String both = "  - {id: pir-2, kind: presence_sensor, input: {gpio: 22}, coap: {report_interval: 1m}}\nrooms:";
        assertThat(problems(MINIMAL.replace("rooms:", both))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("give only one source, not input and coap"));
    }

    @Test
    void an_unreadable_file_is_reported_as_file_line(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> SiteFiles.load(missing)).isInstanceOf(SiteFileException.class)
                .hasMessage(missing + ":1: (file): the site file does not exist");
        assertThatThrownBy(() -> SiteFiles.load(dir)).hasMessage(dir + ":1: (file): is a directory, not a site file");
    }

    @Test
    void a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "id: x\nname: R\u00e4ven\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SiteFiles.load(file)).hasMessageStartingWith(file + ":2: (file): not UTF-8 text");
    }

    @Test
    void deep_nesting_is_reported_where_it_happens() {
        String yaml = "id: x\nname: n\nx: " + "[".repeat(1500) + "]".repeat(1500) + "\n";
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).startsWith("nested deeper than 32 levels").doesNotContain("StreamReadConstraints");
        });
    }

    @Test
    void a_yaml_merge_key_is_named_as_such() {
        List<Problem> found = problems("id: x\ndefaults: &d {strike_time: 5s}\npolicy:\n  <<: *d\n");
        assertThat(found).filteredOn(p -> p.path().equals("policy.<<")).singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(4);
                    assertThat(p.message()).isEqualTo("YAML merge keys (<<) are not supported in a site file: write the keys out here");
                });
    }

    private static String messageAt(SiteFileException e, String path) {
        return e.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().message();
    }

    static List<Problem> problems(String yaml) {
        return catchThrowableOfType(SiteFileException.class, () -> SiteFiles.parse("t.yaml", yaml)).problems();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

}
