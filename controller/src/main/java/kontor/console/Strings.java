package kontor.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The console's words, one file per language ({@code strings_en.properties}, {@code strings_sv.properties},
 * UTF-8), chosen by the browser's {@code Accept-Language}. English is the fallback for a language we do not
 * have and for a key the Swedish file lacks (a test keeps the two files' keys equal).
 */
public final class Strings {
    public static final List<String> LANGUAGES = List.of("en", "sv");
    private static final Map<String, Strings> ALL = Map.of("en", load("en", null), "sv", load("sv", load("en", null)));

    private final String lang;
    private final Properties words;
    private final Strings fallback;

    private Strings(String lang, Properties words, Strings fallback) {
        this.lang = lang;
        this.words = words;
        this.fallback = fallback;
    }

    public static Strings of(String lang) {
        return ALL.getOrDefault(lang, ALL.get("en"));
    }

    /** The best of our languages for an {@code Accept-Language} header (q-values honoured), else English. */
    public static Strings forAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return of("en");
        }
        record Wanted(String lang, double q, int order) { }
        List<Wanted> wanted = new ArrayList<>();
        String[] parts = header.split(",");
        for (int i = 0; i < parts.length && i < 20; i++) {
            String[] f = parts[i].trim().split(";");
            String tag = f[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int j = 1; j < f.length; j++) {
                String p = f[j].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String primary = tag.split("-")[0];
            // Norwegian and Danish readers read Swedish better than English, as a rule.
            wanted.add(new Wanted(primary.equals("nb") || primary.equals("nn") || primary.equals("no") || primary.equals("da")
                    ? "sv" : primary, q, i));
        }
        wanted.sort(Comparator.comparingDouble(Wanted::q).reversed().thenComparingInt(Wanted::order));
        for (Wanted w : wanted) {
            if (w.q() > 0 && ALL.containsKey(w.lang())) {
                return ALL.get(w.lang());
            }
        }
        return of("en");
    }

    public String lang() {
        return lang;
    }

    /** The words for {@code key}, with {@code {0}}, {@code {1}} … replaced by {@code args}; the key itself when missing. */
    public String t(String key, Object... args) {
        String s = words.getProperty(key);
        if (s == null) {
            return fallback != null ? fallback.t(key, args) : key;
        }
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }

    /** Whether this language has words for {@code key} (for tests). */
    boolean has(String key) {
        return words.containsKey(key);
    }

    java.util.Set<String> keys() {
        return words.stringPropertyNames();
    }

    private static Strings load(String lang, Strings fallback) {
        Properties p = new Properties();
        try (InputStream in = Strings.class.getResourceAsStream("strings_" + lang + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("strings_" + lang + ".properties is missing from the jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Strings(lang, p, fallback);
    }
}
