package kontor.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
        if (Files.isDirectory(file)) {
            throw new SiteFileException(name + " is a directory, not a site file.", null);
        }
        String yaml;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SiteFileException("The site file " + name + " is larger than 1 MB; that is not a site file.", null);
            }
            yaml = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            if (yaml.startsWith("\uFEFF")) {
                yaml = yaml.substring(1);
            }
        } catch (NoSuchFileException e) {
            throw new SiteFileException("The site file " + name + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new SiteFileException("The site file " + name + " cannot be read: permission denied.", e);
        } catch (CharacterCodingException e) {
            throw new SiteFileException("The site file " + name + " is not UTF-8 text.", e);
        } catch (IOException e) {
            throw new SiteFileException("The site file " + name + " cannot be read: " + e.getMessage() + ".", e);
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(name, yaml, directory);
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

    /** The commented skeleton with {@code siteId} as its id. */
    public static String skeleton(String siteId) {
        if (siteId == null || !SiteParser.ID.matcher(siteId).matches()) {
            throw new IllegalArgumentException("\"" + siteId + "\" is not a site id: use lowercase letters, digits and hyphens");
        }
        return resource(SKELETON_RESOURCE).replace("id: " + SKELETON_ID, "id: " + siteId);
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
