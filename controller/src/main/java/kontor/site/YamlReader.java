package kontor.site;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into {@link YamlNode}s with Jackson's YAML parser, reporting what YAML itself cannot
 * express for us: syntax errors (the only problem that stops the reading), duplicate keys and aliases.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern MARK = Pattern.compile("^\\s*in '[^']*', line (\\d+)");
    /**
     * The deepest nesting read. A site file needs about six levels; Jackson's own limit (1000) is reported
     * without a line, so ours stops far earlier, at the line where it is crossed.
     */
    static final int MAX_DEPTH = 32;

    /** Nesting beyond {@link #MAX_DEPTH}: stops the reading, like a syntax error. */
    private static final class TooDeep extends RuntimeException {
        final int line;
        final String path;

        TooDeep(int line, String path) {
            super(null, null, false, false);
            this.line = line;
            this.path = path;
        }
    }

    /** Where a syntax error is, the path is not known. */
    static final String SYNTAX = "(syntax)";

    private final Problems problems;
    private String path = Problems.ROOT;

    private YamlReader(Problems problems) {
        this.problems = problems;
    }

    /** The document's root node, or null if there is none or it cannot be read (a problem says why). */
    static YamlNode read(String yaml, Problems problems) {
        return new YamlReader(problems).readDocument(yaml);
    }

    private YamlNode readDocument(String yaml) {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            if (parser.nextToken() == null) {
                problems.add(1, Problems.ROOT, "the file is empty");
                return null;
            }
            YamlNode root = node(parser, Problems.ROOT, 0, 0);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                problems.add(line(parser), Problems.ROOT, "only one YAML document is allowed in a site file");
            }
            return root;
        } catch (TooDeep e) {
            problems.add(e.line, e.path, "nested deeper than " + MAX_DEPTH + " levels; a site file needs far fewer (a bracket or indentation gone wrong?)");
            return null;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            syntaxError(e.getOriginalMessage(), line);
            return null;
        } catch (IOException e) {
            problems.add(1, Problems.ROOT, "cannot read the YAML: " + firstLine(e.getMessage()));
            return null;
        }
    }

    /** {@code keyLine}: the line of the key holding this node (0 if none); problems about a whole mapping point there. */
    private YamlNode node(JsonParser parser, String at, int keyLine, int depth) throws IOException {
        path = at;
        JsonToken token = parser.currentToken();
        boolean collection = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        int line = collection && keyLine > 0 ? keyLine : line(parser);
        if (collection && depth >= MAX_DEPTH) {
            throw new TooDeep(line(parser), at);
        }
        if (token == JsonToken.START_OBJECT) {
            List<YamlNode.Entry> entries = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int entryLine = line(parser);
                String keyPath = Problems.join(at, key);
                path = keyPath;
                parser.nextToken();
                if ("<<".equals(key)) {
                    // A merge key (<<: *defaults) would copy keys in from elsewhere; we read each key where it is written.
                    problems.add(entryLine, keyPath, "YAML merge keys (<<) are not supported in a site file: write the keys out here");
                    parser.skipChildren();
                    continue;
                }
                YamlNode value = node(parser, keyPath, entryLine, depth + 1);
                Integer earlier = seen.putIfAbsent(key, entryLine);
                if (earlier == null) {
                    entries.add(new YamlNode.Entry(key, entryLine, value));
                } else {
                    problems.add(entryLine, keyPath, "duplicate key (already given on line " + earlier + ")");
                }
            }
            return new YamlNode.Mapping(List.copyOf(entries), line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(parser, at + "[" + index++ + "]", 0, depth + 1));
            }
            return new YamlNode.Sequence(List.copyOf(items), line);
        }
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(line, at, "YAML aliases (*" + parser.getText() + ") are not supported here: write the value out");
            return new YamlNode.Scalar(JsonToken.VALUE_NULL, "", line);
        }
        return new YamlNode.Scalar(token, parser.getText(), line);
    }

    /**
     * SnakeYAML says "while parsing X / in line A / expected Y / in line B": the problem is Y at line B,
     * in the X that starts at line A.
     */
    private void syntaxError(String message, int fallbackLine) {
        List<String> sentences = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (String text : (message == null ? "unreadable" : message).split("\n")) {
            Matcher mark = MARK.matcher(text);
            if (mark.find()) {
                lines.add(Integer.parseInt(mark.group(1)));
            } else if (!text.isBlank() && !Character.isWhitespace(text.charAt(0))) {
                sentences.add(text.strip());
            }
        }
        int line = lines.isEmpty() ? fallbackLine : lines.getLast();
        String what = sentences.isEmpty() ? "unreadable" : sentences.getLast();
        if (sentences.size() > 1 && lines.size() > 1) {
            what += " (" + sentences.getFirst() + " from line " + lines.getFirst() + ")";
        }
        problems.add(line, SYNTAX, "YAML syntax error: " + what);
    }

    private static int line(JsonParser parser) {
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
