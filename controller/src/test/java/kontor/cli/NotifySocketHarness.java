package kontor.cli;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What systemd does with NOTIFY_SOCKET, without systemd: a UNIX datagram socket bound at a path (or an
 * {@code @abstract} name) that records every notification with the time it came, and a watchdog that says
 * whether a {@code WATCHDOG=1} has come within the last {@code WatchdogSec}.
 */
final class NotifySocketHarness implements AutoCloseable {
    private static final String STOP = "HARNESS-STOP";
    private final String name;
    private final int fd;
    private final Thread reader;
    private final List<String> received = new ArrayList<>();
    private long lastPing = System.nanoTime();

    NotifySocketHarness(String name) {
        this.name = name;
        var libc = SystemdNotify.LibC.INSTANCE;
        fd = libc.socket(SystemdNotify.AF_UNIX, SystemdNotify.SOCK_DGRAM | SystemdNotify.SOCK_CLOEXEC, 0);
        if (fd < 0 || libc.bind(fd, SystemdNotify.address(name), SystemdNotify.length(name)) != 0) {
            throw new IllegalStateException("cannot bind " + name + " (errno " + Native.getLastError() + ")");
        }
        reader = new Thread(this::read, "notify-harness");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        byte[] buffer = new byte[4096];
        while (true) {
            long n = SystemdNotify.LibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
            if (n < 0) {
                return;
            }
            String message = new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
            if (message.equals(STOP)) {
                return;
            }
            synchronized (this) {
                received.add(message);
                if (message.equals("WATCHDOG=1")) {
                    lastPing = System.nanoTime();
                }
            }
        }
    }

    synchronized List<String> received() {
        return List.copyOf(received);
    }

    synchronized long pings() {
        return received.stream().filter("WATCHDOG=1"::equals).count();
    }

    /** Whether systemd, with this WatchdogSec, would now kill the service: no ping for that long. */
    synchronized boolean watchdogExpired(Duration watchdogSec) {
        return System.nanoTime() - lastPing > watchdogSec.toNanos();
    }

    @Override
    public void close() throws InterruptedException {
        try (SystemdNotify stopper = SystemdNotify.of(name)) {
            stopper.send(STOP);
        }
        reader.join(5000);
        SystemdNotify.LibC.INSTANCE.close(fd);
    }
}
