package kontor.provisioning;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kontor.device.Cards;
import kontor.members.Role;

/**
 * The owner's CSV of fleet members, checked whole before anything is sent: every problem with its line number.
 * Columns (a header line names them, in any order): {@code member} (the owner's id for the person), {@code card},
 * and optionally {@code role} (visitor), {@code accessible} (false), {@code valid_until} (a date: valid through
 * that day in the owner's zone) and {@code sites} (site ids separated by spaces, or {@code all}, the default).
 */
final class FleetImport {
    static final List<String> COLUMNS = List.of("member", "card", "role", "accessible", "valid_until", "sites");

    record Row(int line, String member, String card, Role role, boolean accessible, Instant validUntil, List<String> sites) { }

    private FleetImport() { }

    static List<Row> check(String csv, ZoneId zone) {
        List<CardImport.LineError> errors = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        List<String> lines = (csv.startsWith("\uFEFF") ? csv.substring(1) : csv).lines().toList();
        int header = 0;
        while (header < lines.size() && lines.get(header).isBlank()) {
            header++;
        }
        if (header == lines.size()) {
            throw new CardImport.ImportFailed(List.of(new CardImport.LineError(1, "the file is empty; it needs a header line: "
                    + String.join(",", COLUMNS))));
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> names = CardImport.fields(lines.get(header), ',');
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name) || columns.put(name, c) != null) {
                errors.add(new CardImport.LineError(header + 1, "\"" + name + "\" is not a column, or twice (the columns are "
                        + String.join(", ", COLUMNS) + ")"));
            }
        }
        if (!columns.containsKey("member") || !columns.containsKey("card")) {
            errors.add(new CardImport.LineError(header + 1, "the header needs the columns \"member\" and \"card\""));
        }
        if (!errors.isEmpty()) {
            throw new CardImport.ImportFailed(errors);
        }
        Map<String, Integer> members = new HashMap<>();
        Map<String, Integer> cards = new HashMap<>();
        for (int i = header + 1; i < lines.size(); i++) {
            int line = i + 1;
            if (lines.get(i).isBlank() || lines.get(i).strip().startsWith("#")) {
                continue;
            }
            List<String> f;
            try {
                f = CardImport.fields(lines.get(i), ',');
            } catch (IllegalArgumentException e) {
                errors.add(new CardImport.LineError(line, e.getMessage()));
                continue;
            }
            int before = errors.size();
            String member = value(f, columns, "member");
            if (!member.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                errors.add(new CardImport.LineError(line, "member \"" + member + "\" must be 1 to 64 of a-z, 0-9, _ and -"));
            }
            String card = null;
            try {
                card = Cards.normalise(value(f, columns, "card"));
            } catch (IllegalArgumentException e) {
                errors.add(new CardImport.LineError(line, "card: " + e.getMessage()));
            }
            Role role = Role.VISITOR;
            if (!value(f, columns, "role").isEmpty()) {
                try {
                    role = Role.fromWireName(value(f, columns, "role").toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(new CardImport.LineError(line, e.getMessage()));
                }
            }
            String accessible = value(f, columns, "accessible").toLowerCase(Locale.ROOT);
            if (!List.of("", "true", "false", "yes", "no").contains(accessible)) {
                errors.add(new CardImport.LineError(line, "accessible must be true or false"));
            }
            Instant validUntil = null;
            if (!value(f, columns, "valid_until").isEmpty()) {
                try {
                    validUntil = LocalDate.parse(value(f, columns, "valid_until")).plusDays(1).atStartOfDay(zone).toInstant();
                } catch (DateTimeException e) {
                    errors.add(new CardImport.LineError(line, "valid_until must be a date, e.g. 2027-06-30"));
                }
            }
            List<String> sites = value(f, columns, "sites").isEmpty() ? List.of("all")
                    : Arrays.stream(value(f, columns, "sites").split("[\\s;]+")).filter(s -> !s.isEmpty()).toList();
            for (String site : sites) {
                if (!site.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                    errors.add(new CardImport.LineError(line, "\"" + site + "\" is not a site id"));
                }
            }
            Integer first = members.putIfAbsent(member, line);
            if (first != null) {
                errors.add(new CardImport.LineError(line, "member " + member + " is already on line " + first));
            }
            if (card != null && (first = cards.putIfAbsent(card, line)) != null) {
                errors.add(new CardImport.LineError(line, "card " + Cards.mask(card) + " is already on line " + first));
            }
            if (errors.size() == before) {
                rows.add(new Row(line, member, card, role, accessible.equals("true") || accessible.equals("yes"), validUntil, sites));
            }
        }
        if (!errors.isEmpty()) {
            throw new CardImport.ImportFailed(errors);
        }
        if (rows.isEmpty()) {
            throw new CardImport.ImportFailed(List.of(new CardImport.LineError(header + 1, "the file has a header but no members")));
        }
        return rows;
    }

    private static String value(List<String> f, Map<String, Integer> columns, String name) {
        Integer c = columns.get(name);
        return c == null || c >= f.size() ? "" : f.get(c).strip();
    }
}
