package kontor.provisioning;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import kontor.device.Cards;
import kontor.members.Emails;
import kontor.members.Member;
import kontor.members.MemberException;
import kontor.members.Members;
import kontor.money.Ledger;
import kontor.members.Role;
import kontor.store.Database;

/**
 * Bulk enrolment from CSV: every line is checked, every problem reported with its line number, and the members
 * are enrolled in one transaction — all of them or none.
 *
 * <p>The file has a header naming its columns, in any order: {@code card} (required), {@code role}
 * (visitor, host or admin; default visitor), {@code accessible} (true/false, yes/no, 1/0; default false),
 * {@code valid_until} (a date, valid through that day in the site's zone, or a date-time; default: no end)
 * {@code opening_balance} (whole minor units, 0 or more; default 0) and {@code email} (the address by which a
 * linked calendar's events name the member; at most one member per address; default none). Commas or semicolons separate the
 * fields (spreadsheets in many locales write semicolons); fields may be quoted; blank lines and lines starting
 * with {@code #} are skipped.
 */
final class CardImport {
    static final List<String> COLUMNS = List.of("card", "role", "accessible", "valid_until", "opening_balance", "email");

    /** One problem, on a line of the file (1 = the header). */
    record LineError(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** Thrown with every problem found; nothing was imported. */
    static final class ImportFailed extends RuntimeException {
        private final List<LineError> errors;

        ImportFailed(List<LineError> errors) {
            super(errors.size() + " problem(s); nothing was imported");
            this.errors = List.copyOf(errors);
        }

        List<LineError> errors() {
            return errors;
        }
    }

    /** One checked line. */
    record Row(int line, String card, Role role, boolean accessible, Instant validUntil, long openingBalance,
               String email) { }

    /** What an import did. */
    record Imported(int members, int withBalance, long balanceTotal) { }

    private final ZoneId zone;
    private final Supplier<Instant> clock;

    CardImport(ZoneId zone, Supplier<Instant> clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /** Checks every line without touching a database. */
    List<Row> check(String csv) {
        List<LineError> errors = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        List<String> lines = text.lines().toList();
        int headerIndex = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!skipped(lines.get(i))) {
                headerIndex = i;
                break;
            }
        }
        if (headerIndex < 0) {
            throw new ImportFailed(List.of(new LineError(1, "the file is empty; it needs a header line: "
                    + String.join(",", COLUMNS))));
        }
        String headerLine = lines.get(headerIndex);
        char separator = headerLine.indexOf(';') >= 0 && headerLine.indexOf(',') < 0 ? ';' : ',';
        Map<String, Integer> columns = new HashMap<>();
        List<String> header;
        try {
            header = fields(headerLine, separator);
        } catch (IllegalArgumentException e) {
            throw new ImportFailed(List.of(new LineError(headerIndex + 1, e.getMessage())));
        }
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                errors.add(new LineError(headerIndex + 1, "unknown column \"" + header.get(c).strip() + "\" (the columns are "
                        + String.join(", ", COLUMNS) + ")"));
            } else if (columns.put(name, c) != null) {
                errors.add(new LineError(headerIndex + 1, "the column \"" + name + "\" appears twice"));
            }
        }
        if (!columns.containsKey("card")) {
            errors.add(new LineError(headerIndex + 1, "the header has no \"card\" column"));
        }
        if (!errors.isEmpty()) {
            throw new ImportFailed(errors);
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> seenEmails = new HashMap<>();
        for (int i = headerIndex + 1; i < lines.size(); i++) {
            int line = i + 1;
            if (skipped(lines.get(i))) {
                continue;
            }
            List<String> f;
            try {
                f = fields(lines.get(i), separator);
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(line, e.getMessage()));
                continue;
            }
            if (f.size() > header.size()) {
                errors.add(new LineError(line, "has " + f.size() + " fields but the header names " + header.size()));
                continue;
            }
            Row row = row(line, f, columns, errors);
            if (row == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(row.card(), line);
            if (first != null) {
                errors.add(new LineError(line, "card " + Cards.mask(row.card()) + " is already on line " + first));
                continue;
            }
            Integer firstEmail = row.email() == null ? null : seenEmails.putIfAbsent(row.email(), line);
            if (firstEmail != null) {
                errors.add(new LineError(line, "email " + Emails.mask(row.email()) + " is already on line " + firstEmail));
                continue;
            }
            rows.add(row);
        }
        if (!errors.isEmpty()) {
            throw new ImportFailed(errors);
        }
        if (rows.isEmpty()) {
            throw new ImportFailed(List.of(new LineError(headerIndex + 1, "the file has a header but no cards")));
        }
        return rows;
    }

    /**
     * Checks {@code csv} and enrols every card in one transaction; on any problem (also one only the database
     * can see, such as a card already enrolled) nothing is kept.
     *
     * @throws ImportFailed with every problem and its line
     */
    Imported run(String csv, Database db, Members members, Ledger ledger) {
        List<Row> rows = check(csv);
        return db.inTransaction(tx -> {
            List<LineError> errors = new ArrayList<>();
            int withBalance = 0;
            long total = 0;
            for (Row r : rows) {
                Member m;
                try {
                    m = members.enroll(tx, r.card(), r.role(), r.accessible(), r.validUntil());
                } catch (MemberException e) {
                    errors.add(new LineError(r.line(), e.getMessage()));
                    continue;
                }
                if (r.email() != null) {
                    try {
                        members.setEmail(tx, m.id(), r.email());
                    } catch (MemberException e) {
                        // Not the other member's id: the file's author needs only the address, and it is masked.
                        errors.add(new LineError(r.line(), "email " + Emails.mask(r.email())
                                + " is already another member's"));
                        continue;
                    }
                }
                if (r.openingBalance() > 0) {
                    // The opening balance is a top-up in the ledger, journaled with the enrolment: all or nothing.
                    ledger.credit(tx, m.id(), r.openingBalance(), Ledger.TOP_UP, "import:" + m.id(), null,
                            java.util.Map.of("source", "card import"));
                    withBalance++;
                    total += r.openingBalance();
                }
            }
            if (!errors.isEmpty()) {
                throw new ImportFailed(errors); // rolls the whole transaction back
            }
            return new Imported(rows.size(), withBalance, total);
        });
    }

    private Row row(int line, List<String> f, Map<String, Integer> columns, List<LineError> errors) {
        int before = errors.size();
        String rawCard = value(f, columns, "card");
        String card = null;
        if (rawCard.isEmpty()) {
            errors.add(new LineError(line, "card: is missing"));
        } else {
            try {
                card = Cards.normalise(rawCard);
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(line, "card: " + e.getMessage()));
            }
        }
        Role role = Role.VISITOR;
        String rawRole = value(f, columns, "role").toLowerCase(Locale.ROOT);
        if (!rawRole.isEmpty()) {
            try {
                role = Role.fromWireName(rawRole);
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(line, "role: " + e.getMessage()));
            }
        }
        boolean accessible = false;
        String rawAccessible = value(f, columns, "accessible").toLowerCase(Locale.ROOT);
        switch (rawAccessible) {
            case "", "false", "no", "0" -> accessible = false;
            case "true", "yes", "1" -> accessible = true;
            default -> errors.add(new LineError(line, "accessible: write true or false, not \"" + rawAccessible + "\""));
        }
        Instant validUntil = null;
        String rawValid = value(f, columns, "valid_until");
        if (!rawValid.isEmpty()) {
            validUntil = instant(rawValid);
            if (validUntil == null) {
                errors.add(new LineError(line, "valid_until: \"" + rawValid
                        + "\" is not a date (2027-06-30) or a date-time (2027-06-30T18:00 or 2027-06-30T18:00+02:00)"));
            } else if (!validUntil.isAfter(clock.get())) {
                errors.add(new LineError(line, "valid_until: " + rawValid + " has already passed"));
            }
        }
        long balance = 0;
        String rawBalance = value(f, columns, "opening_balance");
        if (!rawBalance.isEmpty()) {
            if (rawBalance.matches("-?\\d{1,15}")) {
                balance = Long.parseLong(rawBalance);
                if (balance < 0) {
                    errors.add(new LineError(line, "opening_balance: must be 0 or more, not " + rawBalance));
                }
            } else if (rawBalance.matches("-?\\d+[.,]\\d+")) {
                errors.add(new LineError(line, "opening_balance: give whole minor units (öre, cent): "
                        + rawBalance.replaceAll("[.,]", "").replaceFirst("^(-?)0+(?=\\d)", "$1") + " rather than " + rawBalance
                        + " if that means " + rawBalance.replace(',', '.') + " in the currency"));
            } else {
                errors.add(new LineError(line, "opening_balance: \"" + rawBalance + "\" is not a whole number of minor units"));
            }
        }
        String email = null;
        String rawEmail = value(f, columns, "email");
        if (!rawEmail.isEmpty()) {
            try {
                email = Emails.normalise(rawEmail);
            } catch (IllegalArgumentException e) {
                // The text is not repeated: it may be an address with a typo, and this line ends up in logs.
                errors.add(new LineError(line, "email: " + e.getMessage()));
            }
        }
        return errors.size() == before ? new Row(line, card, role, accessible, validUntil, balance, email) : null;
    }

    private Instant instant(String text) {
        try {
            return LocalDate.parse(text).plusDays(1).atStartOfDay(zone).toInstant();
        } catch (DateTimeException notADate) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException notWithOffset) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String value(List<String> f, Map<String, Integer> columns, String name) {
        Integer c = columns.get(name);
        return c == null || c >= f.size() ? "" : f.get(c).strip();
    }

    private static boolean skipped(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#") || s.chars().allMatch(ch -> ch == ',' || ch == ';');
    }

    /** One CSV record on one line (RFC 4180 quoting: "a ""b""" is a "b"). */
    static List<String> fields(String line, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                current.setLength(0);
            } else if (c == separator) {
                out.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed");
        }
        out.add(current.toString());
        return out;
    }
}
