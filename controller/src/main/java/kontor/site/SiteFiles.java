package kontor.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads site files: from disk, from text, the bundled demo site, and the commented skeleton for new sites. */
public final class SiteFiles {
    /** The bundled demo site of {@code kontor demo} (docs/reference.md, "The demo site"). */
    public static final String DEMO_RESOURCE = "kontor/site/demo-site.yaml";
    /** A commented, valid site file to start a new site from. */
    public static final String SKELETON_RESOURCE = "kontor/site/site-skeleton.yaml";

    private static final long MAX_BYTES = 1 << 20;
    private static final String SKELETON_ID = "my-site";

    private SiteFiles() { }

    /**
     * Reads and checks a site file. Relative file names inside it (e.g. {@code mqtt.ca_file}) are resolved
     * against the file's directory. Problems are named after {@code file} as given.
     */
    public static Site load(Path file) throws SiteFileException {
        String name = file.toString();
        // Even a file that cannot be read is reported as FILE:LINE: (file): …, the form editors and scripts parse.
        if (Files.isDirectory(file)) {
            throw unreadable(name, 1, "is a directory, not a site file", null);
        }
        String yaml;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw unreadable(name, 1, "larger than 1 MB; that is not a site file", null);
            }
            byte[] bytes = Files.readAllBytes(file);
            var decoder = StandardCharsets.UTF_8.newDecoder();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw unreadable(name, lineAt(bytes, in.position()), "not UTF-8 text (the first bad byte is on this line):"
                        + " save the file as UTF-8", null);
            }
            decoder.flush(out);
            yaml = out.flip().toString();
            if (yaml.startsWith("\uFEFF")) {
                yaml = yaml.substring(1);
            }
        } catch (NoSuchFileException e) {
            throw unreadable(name, 1, "the site file does not exist", e);
        } catch (AccessDeniedException e) {
            throw unreadable(name, 1, "cannot be read: permission denied", e);
        } catch (IOException e) {
            throw unreadable(name, 1, "cannot be read: " + e.getMessage(), e);
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(name, yaml, directory);
    }

    private static SiteFileException unreadable(String name, int line, String message, Throwable cause) {
        return new SiteFileException(new Problem(name, line, Problems.ROOT, message), cause);
    }

    /** The 1-based line of byte {@code offset}. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Checks site-file text; problems are reported against {@code sourceName}. */
    public static Site parse(String sourceName, String yaml) throws SiteFileException {
        return parse(sourceName, yaml, null);
    }

    /** The bundled demo site; it is checked by the build, so a problem here is a bug, not bad input. */
    public static Site demo() {
        return demo("");
    }

    /** The bundled demo site with {@code moreYaml} appended (a {@code policy:} section, say; the demo has none). */
    public static Site demo(String moreYaml) {
        try {
            return parse(DEMO_RESOURCE, resource(DEMO_RESOURCE) + moreYaml);
        } catch (SiteFileException e) {
            throw new IllegalStateException("the bundled demo site is invalid:\n" + e.getMessage(), e);
        }
    }

    /**
     * The commented skeleton with {@code siteId} as its id. Every name derived from the id (the broker user
     * {@code kontor-<id>}, the client id, the topics in the comments) follows it, or {@code provision credentials}
     * would create a broker user for another site.
     */
    public static String skeleton(String siteId) {
        if (siteId == null || !SiteParser.ID.matcher(siteId).matches()) {
            throw new IllegalArgumentException("\"" + siteId + "\" is not a site id: use lowercase letters, digits and hyphens");
        }
        return resource(SKELETON_RESOURCE).replace(SKELETON_ID, siteId);
    }

    private static Site parse(String sourceName, String yaml, Path baseDir) throws SiteFileException {
        Problems problems = new Problems(sourceName);
        YamlNode root = YamlReader.read(yaml, problems);
        Site site = root == null ? null : new SiteParser(problems, baseDir).parse(root);
        if (problems.any() || site == null) {
            throw new SiteFileException(problems.sorted());
        }
        return site;
    }

    private static String resource(String name) {
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
