package kontor.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/** Carries out one command on the site thread. Returns the reply's {@code result} (null for {@code {}}). */
@FunctionalInterface
public interface CommandHandler {
    JsonNode handle(CommandRequest request) throws CommandException;
}
