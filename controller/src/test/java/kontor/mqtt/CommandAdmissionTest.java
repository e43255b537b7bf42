package kontor.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommandAdmissionTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private static Message from(String user) {
        return new Message("kontor/test/cmd/gateway.info", "{\"id\":\"1\"}".getBytes(),
                user == null ? null : "kontor/test/reply/" + user + "/x", null);
    }

    @Test
    void one_client_may_have_only_so_many_commands_waiting_and_others_still_get_in() throws Exception {
        CommandAdmission admission = new CommandAdmission(new CommandAdmission.Limits(100, 3, 1000), "kontor/test", nanos::get);
        List<CommandAdmission.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tickets.add(admission.admit(from("flooder")));
        }
        assertThatThrownBy(() -> admission.admit(from("flooder")))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("this client has 3 commands waiting")
                .extracting(e -> ((CommandException) e).code()).isEqualTo("busy");
        assertThat(admission.admit(from("alice"))).isNotNull();
        tickets.get(0).done();
        tickets.get(0).done(); // a second done changes nothing
        assertThat(admission.admit(from("flooder"))).isNotNull();
        assertThat(admission.waiting()).isEqualTo(4);
    }

    @Test
    void all_clients_together_are_bounded() throws Exception {
        CommandAdmission admission = new CommandAdmission(new CommandAdmission.Limits(4, 4, 1000), "kontor/test", nanos::get);
        for (int i = 0; i < 4; i++) {
            admission.admit(from("client-" + i));
        }
        assertThatThrownBy(() -> admission.admit(from("newcomer")))
                .hasMessageContaining("the gateway has 4 commands waiting");
    }

    @Test
    void a_client_gets_its_rate_and_a_burst_of_as_many_then_busy_until_time_passes() throws Exception {
        CommandAdmission admission = new CommandAdmission(new CommandAdmission.Limits(1000, 1000, 10), "kontor/test", nanos::get);
        for (int i = 0; i < 10; i++) {
            admission.admit(from(null)).done();
        }
        assertThatThrownBy(() -> admission.admit(from(null))).hasMessageContaining("more than 10 commands a second");
        nanos.addAndGet(100_000_000L); // a tenth of a second: one more
        admission.admit(from(null)).done();
        assertThatThrownBy(() -> admission.admit(from(null))).hasMessageContaining("slow down");
        // Another response topic is another client.
        admission.admit(new Message("kontor/test/cmd/x", new byte[0], "elsewhere/r", null)).done();
    }
}
