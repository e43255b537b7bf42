package kontor.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class CommandRequestTest {

    private static CommandRequest request(String json) {
        return new CommandRequest("x", "1", (ObjectNode) Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void refuses(CommandRequestCall call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CommandException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_request");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private interface CommandRequestCall {
        void run() throws CommandException;
    }

    @Test
    void text_fields_must_be_present_non_empty_strings() throws CommandException {
        assertThat(request("{\"card\":\"04A1\"}").requireText("card")).isEqualTo("04A1");
        assertThat(request("{\"card\":null}").optionalText("card")).isEmpty();
        refuses(() -> request("{}").requireText("card"), "field 'card' is required");
        refuses(() -> request("{\"card\":12}").requireText("card"), "field 'card' must be a string");
        refuses(() -> request("{\"card\":\" \"}").requireText("card"), "field 'card' must not be empty");
    }

    @Test
    void amounts_must_be_positive_integers() throws CommandException {
        assertThat(request("{\"amount\":500}").requirePositiveLong("amount")).isEqualTo(500);
        refuses(() -> request("{\"amount\":0}").requirePositiveLong("amount"), "field 'amount' must be a positive integer");
        refuses(() -> request("{\"amount\":1.5}").requirePositiveLong("amount"), "field 'amount' must be a positive integer");
        refuses(() -> request("{\"amount\":\"5\"}").requirePositiveLong("amount"), "field 'amount' must be a positive integer");
        refuses(() -> request("{\"amount\":99999999999999999999}").requirePositiveLong("amount"), "field 'amount' must be a positive integer");
        refuses(() -> request("{}").requirePositiveLong("amount"), "field 'amount' is required");
        assertThat(request("{\"from_seq\":-1}").requireLong("from_seq")).isEqualTo(-1);
        refuses(() -> request("{\"to_seq\":true}").optionalLong("to_seq"), "field 'to_seq' must be an integer");
    }

    @Test
    void booleans_must_be_json_booleans() throws CommandException {
        assertThat(request("{\"in_service\":false}").requireBoolean("in_service")).isFalse();
        assertThat(request("{}").optionalBoolean("accessible")).isEmpty();
        refuses(() -> request("{\"accessible\":\"yes\"}").optionalBoolean("accessible"), "field 'accessible' must be true or false");
    }

    @Test
    void times_and_dates_are_iso_8601() throws CommandException {
        assertThat(request("{\"start\":\"2025-03-01T09:00:00+01:00\"}").requireDateTime("start"))
                .isEqualTo(OffsetDateTime.parse("2025-03-01T09:00:00+01:00"));
        refuses(() -> request("{\"start\":\"2025-03-01T09:00:00\"}").requireDateTime("start"),
                "field 'start' must be an ISO-8601 date-time with offset, e.g. 2025-03-01T09:00:00+01:00");
        assertThat(request("{\"date\":\"2025-03-01\"}").optionalDate("date")).contains(LocalDate.of(2025, 3, 1));
        refuses(() -> request("{\"date\":\"1.3.2025\"}").optionalDate("date"), "field 'date' must be an ISO-8601 date, e.g. 2025-03-01");
    }
}
