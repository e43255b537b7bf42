package kontor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kontor.core.AlarmTypes.AlarmType;
import kontor.core.EventTypes.EventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalogues of event and alarm types against the docs and the code.
 *
 * <p>Docs: {@code docs/reference.md} has a table under {@code ## Event types} and one under
 * {@code ## Alarm types}, each row starting with the backticked type; the types there are exactly those of
 * {@link EventTypes} and {@link AlarmTypes}.
 *
 * <p>Code: the main sources of {@code controller} and {@code simulator} (every {@code src/main/java} below
 * them) are read as text, comments removed. The first argument (after a {@code tx}) of every {@code emit(},
 * {@code journal.append(}, {@code journal.handIn(} and {@code journal(tx, …)} call is an event type, and of
 * every {@code raise(}, {@code alarms.clear(} and {@code alarms.isActive(} call an alarm type; each string
 * literal there (or the value of a {@code static final String} constant of the same file named there) must be
 * catalogued. A type built at run time from parts ({@code noun + ".opened"}) cannot be checked this way; the
 * reverse check, that every catalogued type is written somewhere in the code (whole, or as its two parts),
 * keeps the catalogue from holding types nothing emits.
 */
class CatalogueTest {
    private static final String REFERENCE = "docs/reference.md";
    private static final Pattern TYPE = Pattern.compile("[a-z_]+(\\.[a-z_]+)*");
    private static final Pattern DOC_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|.*");
    private static final Pattern CALL = Pattern.compile(
            "(\\b(?:journal(?:\\(\\))?\\.(?:append|handIn)|alarms(?:\\(\\))?\\.(?:clear|isActive))|\\bemit|\\braise|(?<![.\\w])journal)\\s*\\(");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]*)\"");

    private static List<Source> sources;

    /** A main source file, without its comments. */
    private record Source(Path path, String code) { }

    /** A type written in the code: where, and whether an event or an alarm. */
    private record Use(String type, boolean alarm, String where) { }

    @BeforeAll
    static void readSources() throws IOException {
        Path root = repoRoot();
        List<Source> read = new ArrayList<>();
        for (String module : List.of("controller", "simulator")) {
            try (Stream<Path> files = Files.walk(root.resolve(module))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> f.toString().replace('\\', '/').contains("/src/main/java/")).sorted().toList()) {
                    read.add(new Source(root.relativize(file), withoutComments(Files.readString(file, StandardCharsets.UTF_8))));
                }
            }
        }
        sources = read;
        assertThat(sources).as("main sources found").hasSizeGreaterThan(50);
    }

    @Test
    void the_reference_doc_lists_exactly_the_catalogued_event_types() throws IOException {
        Set<String> catalogued = EventTypes.ALL.stream().map(EventType::type).collect(Collectors.toCollection(TreeSet::new));
        checkDocTable("Event types", catalogued, eventTable());
    }

    @Test
    void the_reference_doc_lists_exactly_the_catalogued_alarm_types() throws IOException {
        Set<String> catalogued = AlarmTypes.ALL.stream().map(AlarmType::type).collect(Collectors.toCollection(TreeSet::new));
        checkDocTable("Alarm types", catalogued, alarmTable());
    }

    @Test
    void every_event_type_the_code_emits_is_catalogued() {
        List<String> missing = uses().stream().filter(u -> !u.alarm() && !EventTypes.isCatalogued(u.type()))
                .map(u -> u.type() + " (" + u.where() + ")").toList();
        assertThat(missing).as("event types emitted in the code but not in kontor.core.EventTypes: add each there"
                + " (type, meaning, fields) and to the table under \"## Event types\" in " + REFERENCE).isEmpty();
    }

    @Test
    void every_alarm_type_the_code_raises_is_catalogued() {
        List<String> missing = uses().stream().filter(u -> u.alarm() && !AlarmTypes.isCatalogued(u.type()))
                .map(u -> u.type() + " (" + u.where() + ")").toList();
        assertThat(missing).as("alarm types raised in the code but not in kontor.core.AlarmTypes: add each there"
                + " (type, meaning, detail) and to the table under \"## Alarm types\" in " + REFERENCE).isEmpty();
    }

    @Test
    void every_catalogued_type_is_written_in_the_code() {
        Set<String> literals = new LinkedHashSet<>();
        for (Source s : sources) {
            if (s.path().endsWith(Path.of("kontor", "core", "EventTypes.java"))
                    || s.path().endsWith(Path.of("kontor", "core", "AlarmTypes.java"))) {
                continue; // the catalogues themselves
            }
            Matcher m = STRING.matcher(s.code());
            while (m.find()) {
                literals.add(m.group(1));
            }
        }
        // Whole ("door.forced"), or in two parts put together at run time (noun + ".opened").
        Predicate<String> written = type -> literals.contains(type) || type.contains(".")
                && literals.contains(type.substring(0, type.indexOf('.'))) && literals.contains(type.substring(type.indexOf('.')));
        List<String> unused = Stream.concat(EventTypes.ALL.stream().map(EventType::type), AlarmTypes.ALL.stream().map(AlarmType::type))
                .filter(written.negate()).toList();
        assertThat(unused).as("catalogued types that no main source writes: remove them from kontor.core.EventTypes /"
                + " AlarmTypes and " + REFERENCE + ", or emit them").isEmpty();
    }

    @Test
    void the_scan_sees_the_calls_it_is_meant_to_see() {
        // Guards the scanner itself: if these known uses vanish, the regexes no longer match the code's calls.
        Set<String> events = uses().stream().filter(u -> !u.alarm()).map(Use::type).collect(Collectors.toSet());
        Set<String> alarms = uses().stream().filter(Use::alarm).map(Use::type).collect(Collectors.toSet());
        assertThat(events).contains("card.granted", "payment.charged", "payment.credited", "booking.created", "bench.load");
        assertThat(alarms).contains("fire", "door.forced", "device.battery_low", "printer.error");
    }

    // ---- the docs

    private static void checkDocTable(String heading, Set<String> catalogued, String expectedTable) throws IOException {
        List<String> lines = Files.readAllLines(repoRoot().resolve(REFERENCE), StandardCharsets.UTF_8);
        Set<String> documented = new TreeSet<>();
        boolean in = false;
        boolean found = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                in = line.strip().equals("## " + heading);
                found |= in;
            } else if (in) {
                Matcher row = DOC_ROW.matcher(line.strip());
                if (row.matches()) {
                    documented.add(row.group(1));
                }
            }
        }
        Set<String> undocumented = new TreeSet<>(catalogued);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(catalogued);
        String fix = "\nThe table under \"## " + heading + "\" in " + REFERENCE + ", generated from the catalogue:\n\n"
                + expectedTable;
        assertThat(found).as(REFERENCE + " has no heading \"## " + heading + "\"" + fix).isTrue();
        assertThat(undocumented).as("catalogued but not in the table under \"## " + heading + "\" of " + REFERENCE + fix)
                .isEmpty();
        assertThat(unknown).as("in the table under \"## " + heading + "\" of " + REFERENCE
                + " but not catalogued (add them to kontor.core, or drop the rows)" + fix).isEmpty();
    }

    static String eventTable() {
        return "| type | meaning | fields |\n|---|---|---|\n" + EventTypes.ALL.stream()
                .map(e -> "| `" + e.type() + "` | " + e.meaning() + " | " + fieldList(e.fields()) + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    static String alarmTable() {
        return "| type | raised when; cleared when | detail |\n|---|---|---|\n" + AlarmTypes.ALL.stream()
                .map(a -> "| `" + a.type() + "` | " + a.meaning() + " | " + fieldList(a.detail()) + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static String fieldList(List<String> fields) {
        return fields.isEmpty() ? "—" : fields.stream().map(f -> "`" + f + "`").collect(Collectors.joining(", "));
    }

    // ---- the code

    /** Every type literally named as the type argument of an emitting or raising call. */
    private static List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        for (Source s : sources) {
            Map<String, String> constants = new TreeMap<>();
            Matcher c = CONSTANT.matcher(s.code());
            while (c.find()) {
                constants.put(c.group(1), c.group(2));
            }
            Matcher call = CALL.matcher(s.code());
            while (call.find()) {
                String name = call.group(1);
                boolean alarm = name.equals("raise") || name.contains("alarms");
                List<String> args = arguments(s.code(), call.end());
                if (!args.isEmpty() && args.getFirst().equals("tx")) {
                    args = args.subList(1, args.size());
                }
                if (args.isEmpty()) {
                    continue;
                }
                String where = s.path() + ":" + (s.code().substring(0, call.start()).lines().count());
                String arg = args.getFirst();
                Matcher literal = STRING.matcher(arg);
                boolean any = false;
                while (literal.find()) {
                    any = true;
                    if (TYPE.matcher(literal.group(1)).matches()) {
                        uses.add(new Use(literal.group(1), alarm, where));
                    }
                }
                if (!any && constants.containsKey(arg)) {
                    uses.add(new Use(constants.get(arg), alarm, where));
                }
            }
        }
        return uses;
    }

    /** The top-level arguments of the call whose '(' ends just before {@code from}, each stripped. */
    private static List<String> arguments(String code, int from) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '"' || ch == '\'') {
                i = endOfLiteral(code, i);
            } else if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) {
                depth--;
            } else if (ch == ')' || ch == ',' && depth == 0) {
                String arg = code.substring(start, i).strip();
                if (!arg.isEmpty()) {
                    args.add(arg);
                }
                if (ch == ')') {
                    return args;
                }
                start = i + 1;
            }
        }
        return args;
    }

    /** The source with every comment blanked out (string and char literals, text blocks too, kept as they are). */
    static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '"' || ch == '\'') {
                int end = endOfLiteral(code, i);
                out.append(code, i, end + 1);
                i = end;
            } else if (code.startsWith("//", i)) {
                while (i < code.length() && code.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                end = end < 0 ? code.length() : end + 2;
                code.substring(i, end).chars().forEach(c -> out.append(c == '\n' ? '\n' : ' '));
                i = end - 1;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The index of the quote that closes the literal opening at {@code start} (a text block included). */
    private static int endOfLiteral(String code, int start) {
        if (code.startsWith("\"\"\"", start)) {
            int end = code.indexOf("\"\"\"", start + 3);
            return end < 0 ? code.length() - 1 : end + 2;
        }
        char quote = code.charAt(start);
        for (int i = start + 1; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == quote || ch == '\n') {
                return i;
            }
        }
        return code.length() - 1;
    }

    /** The repository's top directory: the one above the module Maven runs the tests in that holds docs/. */
    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("controller"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("no repository root above " + Path.of("").toAbsolutePath()));
    }
}
