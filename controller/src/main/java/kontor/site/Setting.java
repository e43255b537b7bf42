package kontor.site;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One key of the site file, defined once: its key (the path in the file, e.g. {@code policy.strike_time}), its
 * kind, its default, the range it accepts, and what it means in one line. The definitions are listed in
 * {@link SiteSettings}; the parser reads them, {@link Policy} is built from them, and the tables of
 * {@code docs/site-file.md} are tested against them (in the manner of Californium's {@code CoapConfig}).
 *
 * @param key           the path in the site file: a section and a name, {@code policy.strike_time}
 * @param kind          what the value is, with its Java type
 * @param defaultValue  the value when the key is left out; null when there is none (required, or optional without one)
 * @param min           the smallest value accepted, or null when the kind has no range
 * @param max           the largest value accepted, or null when the kind has no range
 * @param required      whether the key must be given (when its section is)
 * @param shownDefault  the default as the site file and the docs write it ({@code 60s}, {@code kontor-<site id>},
 *                      {@code required}, or {@code —} for none)
 * @param shownRange    the range as the site file's skeleton and the docs write it ({@code 1s..24h}), empty without one
 * @param meaning       one line: what the setting does
 * @param <T>           the Java type of the value
 */
public record Setting<T extends Comparable<? super T>>(String key, Kind<T> kind, T defaultValue, T min, T max, boolean required,
                         String shownDefault, String shownRange, String meaning) {
    private static final Pattern KEY = Pattern.compile("[a-z_]+\\.[a-z_]+");

    public Setting {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a setting's key is section.name in lowercase: " + key);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(shownDefault, "shownDefault");
        Objects.requireNonNull(shownRange, "shownRange");
        if (meaning == null || meaning.isBlank()) {
            throw new IllegalArgumentException(key + " needs a meaning");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(key + " is required and so has no default");
        }
        if ((min == null) != (max == null) || (min == null) != shownRange.isEmpty()) {
            throw new IllegalArgumentException(key + " needs both ends of its range and how to show it, or none");
        }
        if (defaultValue != null && min != null && !kind.within(defaultValue, min, max)) {
            throw new IllegalArgumentException(key + ": the default " + shownDefault + " is outside " + shownRange);
        }
    }

    // ---- definitions, one factory per kind

    /** A duration written as in the site file ({@code 500ms}, {@code 60s}, {@code 4h}), with its range. */
    public static Setting<Duration> duration(String key, String defaultValue, String min, String max, String meaning) {
        return new Setting<>(key, Kind.DURATION, durationOf(key, defaultValue), durationOf(key, min), durationOf(key, max),
                false, defaultValue, min + ".." + max, meaning);
    }

    /** A whole number (an {@code int}) with its range. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String meaning) {
        return new Setting<>(key, Kind.INTEGER, defaultValue, min, max, false, String.valueOf(defaultValue),
                min + ".." + max, meaning);
    }

    /** A large whole number (a {@code long}) with its range, e.g. a count of events. */
    public static Setting<Long> count(String key, long defaultValue, long min, long max, String meaning) {
        return new Setting<>(key, Kind.COUNT, defaultValue, min, max, false, String.valueOf(defaultValue),
                min + ".." + max, meaning);
    }

    /** An amount of money in whole minor units of the site's currency (öre, cent) with its range. */
    public static Setting<Long> money(String key, long defaultValue, long min, long max, String meaning) {
        return new Setting<>(key, Kind.MONEY, defaultValue, min, max, false, String.valueOf(defaultValue),
                min + ".." + max, meaning);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> flag(String key, boolean defaultValue, String meaning) {
        return new Setting<>(key, Kind.FLAG, defaultValue, null, null, false, String.valueOf(defaultValue), "", meaning);
    }

    /** Text with a default. */
    public static Setting<String> text(String key, String defaultValue, String meaning) {
        return new Setting<>(key, Kind.TEXT, Objects.requireNonNull(defaultValue, key), null, null, false, defaultValue, "",
                meaning);
    }

    /** Optional text whose default is worked out from other keys; {@code shownDefault} says how, e.g. {@code kontor-<site id>}. */
    public static Setting<String> derivedText(String key, String shownDefault, String meaning) {
        return new Setting<>(key, Kind.TEXT, null, null, null, false, shownDefault, "", meaning);
    }

    /** Optional text without a default. */
    public static Setting<String> optionalText(String key, String meaning) {
        return new Setting<>(key, Kind.TEXT, null, null, null, false, NONE, "", meaning);
    }

    /** A TCP or UDP port with a default. */
    public static Setting<Integer> port(String key, int defaultValue, String meaning) {
        return new Setting<>(key, Kind.INTEGER, defaultValue, 1, 65535, false, String.valueOf(defaultValue),
                "1..65535", meaning);
    }

    /** A URI that must be given. */
    public static Setting<URI> requiredUri(String key, String meaning) {
        return new Setting<>(key, Kind.URL, null, null, null, true, REQUIRED, "", meaning);
    }

    /** An optional URI. */
    public static Setting<URI> uri(String key, String meaning) {
        return new Setting<>(key, Kind.URL, null, null, null, false, NONE, "", meaning);
    }

    /** An optional file; a relative one is resolved against the site file's directory. */
    public static Setting<Path> file(String key, String meaning) {
        return new Setting<>(key, Kind.FILE, null, null, null, false, NONE, "", meaning);
    }

    /** A file that must be given; a relative one is resolved against the site file's directory. */
    public static Setting<Path> requiredFile(String key, String meaning) {
        return new Setting<>(key, Kind.FILE, null, null, null, true, REQUIRED, "", meaning);
    }

    /** How the docs show a key that must be given. */
    public static final String REQUIRED = "required";
    /** How the docs show an optional key without a default. */
    public static final String NONE = "—";

    // ---- use

    /** The section of the site file the key is in: {@code policy} for {@code policy.strike_time}. */
    public String section() {
        return key.substring(0, key.indexOf('.'));
    }

    /** The key within its section: {@code strike_time} for {@code policy.strike_time}. */
    public String name() {
        return key.substring(key.indexOf('.') + 1);
    }

    /** The range as the site file's skeleton and the docs write it, e.g. {@code 1s..2m}; empty without one. */
    public String range() {
        return shownRange;
    }

    /**
     * Reads the value from its section, reporting a problem at its line (and returning null) when it is of the
     * wrong kind or out of range; the default when the key is absent. Files and URIs are read by the parser,
     * which knows the site file's directory and the schemes allowed.
     */
    T read(Fields section) {
        if (kind.reader == null) {
            throw new IllegalStateException(key + " is a " + kind.name() + ": the site parser reads it itself");
        }
        return kind.reader.read(section, name(), defaultValue, min, max);
    }

    private static Duration durationOf(String key, String text) {
        Duration d = Durations.parse(text);
        if (d == null) {
            throw new IllegalArgumentException(key + ": \"" + text + "\" is not a duration");
        }
        return d;
    }

    /** How a value of one kind is read from the site file and written back; its Java type is {@code T}. */
    public static final class Kind<T extends Comparable<? super T>> {
        public static final Kind<Duration> DURATION = new Kind<>("duration", Duration.class,
                Fields::duration, Durations::format);
        public static final Kind<Integer> INTEGER = new Kind<>("whole number", Integer.class,
                (f, name, d, min, max) -> asInt(f.optInteger(name, d == null ? null : (long) d, min, max)), String::valueOf);
        public static final Kind<Long> COUNT = new Kind<>("whole number", Long.class, Fields::optInteger, String::valueOf);
        public static final Kind<Long> MONEY = new Kind<>("money (minor units)", Long.class, Fields::optInteger,
                String::valueOf);
        public static final Kind<Boolean> FLAG = new Kind<>("true/false", Boolean.class,
                (f, name, d, min, max) -> f.bool(name, d), String::valueOf);
        public static final Kind<String> TEXT = new Kind<>("text", String.class,
                (f, name, d, min, max) -> f.optText(name, d), s -> s);
        public static final Kind<URI> URL = new Kind<>("URL", URI.class, null, String::valueOf);
        public static final Kind<Path> FILE = new Kind<>("file", Path.class, null, String::valueOf);

        /** Reads one key of a section; null after a problem (reported). */
        @FunctionalInterface
        interface Reader<T> {
            T read(Fields section, String name, T fallback, T min, T max);
        }

        private final String name;
        private final Class<T> type;
        private final Reader<T> reader;
        private final Function<T, String> format;

        private Kind(String name, Class<T> type, Reader<T> reader, Function<T, String> format) {
            this.name = name;
            this.type = type;
            this.reader = reader;
            this.format = format;
        }

        /** As the docs call it: {@code duration}, {@code whole number}, {@code true/false} … */
        public String name() {
            return name;
        }

        public Class<T> type() {
            return type;
        }

        /** The value as the site file writes it. */
        public String format(T value) {
            return format.apply(value);
        }

        boolean within(T value, T min, T max) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }

        private static Integer asInt(Long value) {
            return value == null ? null : value.intValue();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
