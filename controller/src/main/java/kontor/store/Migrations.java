package kontor.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.util.ScriptReader;

/** The schema migrations found on the class path under one folder, as {@code V<n>__<description>.sql}, in order. */
final class Migrations {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    record Migration(int version, String name, List<String> statements) { }

    private Migrations() { }

    /**
     * Every migration under {@code location}, ordered by version; the versions must run 1, 2, … without a gap
     * so that a missing file is noticed at start-up rather than silently skipped.
     */
    static List<Migration> load(ClassLoader loader, String location) {
        TreeMap<Integer, String> byVersion = new TreeMap<>();
        for (String name : listNames(loader, location)) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                continue;
            }
            int version = Integer.parseInt(m.group(1));
            String other = byVersion.put(version, name);
            if (other != null && !other.equals(name)) {
                throw new StoreException("two schema migrations have version " + version + ": " + other + " and " + name);
            }
        }
        List<Migration> migrations = new ArrayList<>();
        int expected = 1;
        for (var entry : byVersion.entrySet()) {
            if (entry.getKey() != expected) {
                throw new StoreException("schema migration V" + expected + " is missing under " + location
                        + " (found " + entry.getValue() + ")");
            }
            String path = location + "/" + entry.getValue();
            migrations.add(new Migration(entry.getKey(), entry.getValue(), statements(read(loader, path))));
            expected++;
        }
        return migrations;
    }

    static List<String> statements(String script) {
        ScriptReader reader = new ScriptReader(new StringReader(script));
        reader.setSkipRemarks(true);
        List<String> statements = new ArrayList<>();
        for (String s = reader.readStatement(); s != null; s = reader.readStatement()) {
            if (!s.isBlank()) {
                statements.add(s.strip());
            }
        }
        return statements;
    }

    private static String read(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new StoreException("schema migration " + path + " cannot be read");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("schema migration " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> listNames(ClassLoader loader, String location) {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(location);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> {
                        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                            files.forEach(p -> names.add(p.getFileName().toString()));
                        }
                    }
                    case "jar" -> {
                        JarURLConnection connection = (JarURLConnection) url.openConnection();
                        connection.setUseCaches(false);
                        try (JarFile jar = connection.getJarFile()) {
                            String prefix = location + "/";
                            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                                String entry = e.nextElement().getName();
                                if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0) {
                                    names.add(entry.substring(prefix.length()));
                                }
                            }
                        }
                    }
                    default -> throw new StoreException("schema migrations cannot be listed from " + url);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new StoreException("schema migrations under " + location + " cannot be listed: " + e.getMessage(), e);
        }
        return names;
    }
}
