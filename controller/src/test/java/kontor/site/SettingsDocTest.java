package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The docs and the skeleton say what the code does: every setting of {@link SiteSettings} has its row, with the
 * same kind, default, range and meaning, in the tables of {@code docs/site-file.md}, and those tables have no
 * other rows; the skeleton's {@code policy:} lines show each rule's default, meaning and range.
 */
class SettingsDocTest {
    private static final String DOC = "docs/site-file.md";
    /** A table row whose first cell is a backticked key, e.g. {@code | `policy.strike_time` | duration | …}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z_]+\\.[a-z_]+)`\\s*\\|(.*)\\|\\s*$");

    @Test
    void the_site_file_doc_has_one_row_per_setting_as_defined() throws IOException {
        Set<String> sections = SiteSettings.ALL.stream().map(Setting::section).collect(Collectors.toSet());
        Map<String, List<String>> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(repoFile(DOC), StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches() && sections.contains(row.group(1).substring(0, row.group(1).indexOf('.')))) {
                documented.put(row.group(1), Arrays.stream(row.group(2).split("\\|")).map(String::strip).toList());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : SiteSettings.ALL) {
            List<String> cells = documented.remove(setting.key());
            List<String> expected = cells(setting);
            if (cells == null) {
                problems.add(setting.key() + ": no row");
                continue;
            }
            List<String> columns = List.of("kind", "default", "range", "meaning");
            for (int i = 0; i < columns.size(); i++) {
                String found = i < cells.size() ? cells.get(i) : "(nothing)";
                if (!expected.get(i).equals(found)) {
                    problems.add(setting.key() + ": " + columns.get(i) + " is \"" + found + "\" in the doc, \""
                            + expected.get(i) + "\" in the code");
                }
            }
        }
        documented.keySet().forEach(key -> problems.add(key + ": documented, but there is no such setting in SiteSettings"));
        if (!problems.isEmpty()) {
            fail(DOC + " does not match kontor.site.SiteSettings:\n  " + String.join("\n  ", problems)
                    + "\n\nFix the definition in SiteSettings if the code is wrong; otherwise replace the tables of "
                    + DOC + " (section \"Settings\") with these, generated from SiteSettings:\n\n" + tables());
        }
    }

    @Test
    void the_skeleton_shows_each_rule_with_its_default_meaning_and_range() {
        Map<String, String> lines = SiteFiles.skeleton("my-site").lines()
                .filter(l -> l.startsWith("  ") && !l.startsWith("   "))
                .collect(Collectors.toMap(l -> l.strip().split(":")[0], String::strip, (a, b) -> a));
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : SiteSettings.POLICY) {
            String expected = setting.name() + ": " + setting.shownDefault() + " # " + setting.meaning()
                    + (setting.range().isEmpty() ? "" : " [" + setting.range() + "]");
            String line = lines.getOrDefault(setting.name(), "(no line)").replaceAll("\\s+#\\s+", " # ");
            if (!line.equals(expected)) {
                problems.add("expected  " + expected + "\n  found     " + line);
            }
        }
        assertThat(problems).as("the policy lines of controller/src/main/resources/kontor/site/site-skeleton.yaml"
                + " against SiteSettings (write each as: key: default   # meaning [range])").isEmpty();
    }

    @Test
    void meanings_fit_in_a_table_cell() {
        for (Setting<?> setting : SiteSettings.ALL) {
            assertThat(setting.meaning()).as(setting.key()).doesNotContain("|", "\n");
        }
    }

    /** The kind, default, range and meaning cells of a setting's row. */
    private static List<String> cells(Setting<?> setting) {
        String shown = setting.shownDefault();
        String dflt = shown.equals(Setting.REQUIRED) || shown.equals(Setting.NONE) ? shown : "`" + shown + "`";
        return List.of(setting.kind().name(), dflt, setting.range().isEmpty() ? Setting.NONE : setting.range(),
                setting.meaning());
    }

    /** The doc's tables as they should be: one per section, in the catalogue's order. */
    static String tables() {
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Setting<?> setting : SiteSettings.ALL) {
            if (!setting.section().equals(section)) {
                section = setting.section();
                out.append(out.isEmpty() ? "" : "\n").append("### `").append(section).append("`\n\n")
                        .append("| key | kind | default | range | meaning |\n|---|---|---|---|---|\n");
            }
            out.append("| `").append(setting.key()).append("` | ").append(String.join(" | ", cells(setting))).append(" |\n");
        }
        return out.toString();
    }

    /** A file of the repository, found from the module's directory (where Maven runs the tests) or above. */
    private static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
