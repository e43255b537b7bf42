package kontor.site;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;

/** A YAML document as plain nodes that remember their line, so that every problem can say where it is. */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    int line();

    /** What the node is, for "expected X, found Y" messages. */
    String describe();

    /** A scalar with its resolved type (string, number, boolean, null) and its text as written. */
    record Scalar(JsonToken token, String text, int line) implements YamlNode {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String describe() {
            return switch (token) {
                case VALUE_NULL -> "nothing";
                case VALUE_TRUE, VALUE_FALSE -> "true/false (" + text + ")";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
                default -> "\"" + text + "\"";
            };
        }
    }

    record Entry(String key, int line, YamlNode value) { }

    record Mapping(List<Entry> entries, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
