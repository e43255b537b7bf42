package kontor.site;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found in one site file, so that all of them are reported at once. */
final class Problems {
    /** The path of problems about the document as a whole. */
    static final String ROOT = "(file)";

    private final String file;
    private final List<Problem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String path, String message) {
        found.add(new Problem(file, line, path, message));
    }

    boolean any() {
        return !found.isEmpty();
    }

    /** In line order; problems on one line keep the order in which they were found. */
    List<Problem> sorted() {
        return found.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    static String join(String parent, String key) {
        return parent.equals(ROOT) ? key : parent + "." + key;
    }
}
