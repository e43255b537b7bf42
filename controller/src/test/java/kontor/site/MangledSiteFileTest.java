package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whatever is done to a site file, checking it ends in a site or in problems, never in a crash. */
class MangledSiteFileTest {
    private final List<String> lines = SiteFiles.skeleton("my-site").lines().toList();

    @Test
    void removing_any_one_line_gives_a_site_or_problems() {
        for (int i = 0; i < lines.size(); i++) {
            List<String> mangled = new ArrayList<>(lines);
            mangled.remove(i);
            assertChecksCleanly(String.join("\n", mangled), "without line " + (i + 1));
        }
    }

    @Test
    void emptying_any_one_value_gives_a_site_or_problems() {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(": ");
            if (colon < 0 || line.strip().startsWith("#")) {
                continue;
            }
            List<String> mangled = new ArrayList<>(lines);
            mangled.set(i, line.substring(0, colon + 1));
            assertChecksCleanly(String.join("\n", mangled), "with line " + (i + 1) + " emptied");
            mangled.set(i, line.substring(0, colon + 2) + "[1, {a: b}]");
            assertChecksCleanly(String.join("\n", mangled), "with line " + (i + 1) + " a list");
        }
    }

    private static void assertChecksCleanly(String yaml, String what) {
        try {
            Site site = SiteFiles.parse("m.yaml", yaml);
            assertThat(site).as(what).isNotNull();
        } catch (SiteFileException e) {
            assertThat(e.problems()).as(what).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isPositive());
        } catch (RuntimeException e) {
            throw new AssertionError("checking the skeleton " + what + " crashed", e);
        }
    }
}
