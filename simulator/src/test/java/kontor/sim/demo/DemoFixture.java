package kontor.sim.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

/** Starts {@code kontor demo} in-process, as the CLI would, on free ports and a temporary data directory. */
final class DemoFixture {
    private DemoFixture() { }

    /** The demo with its embedded broker and a movable clock starting at {@code clock} (site local time). */
    static DemoCommand.Demo embedded(Path data, String clock) {
        DemoCommand cmd = new DemoCommand();
        cmd.data = data;
        cmd.clock = clock;
        cmd.mqttPort = freePort();
        cmd.coapPort = freePort();
        return cmd.start();
    }

    /** The demo against an external broker. */
    static DemoCommand.Demo external(Path data, String clock, String brokerUrl) {
        DemoCommand cmd = new DemoCommand();
        cmd.data = data;
        cmd.clock = clock;
        cmd.mqtt = URI.create(brokerUrl);
        cmd.coapPort = freePort();
        return cmd.start();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
