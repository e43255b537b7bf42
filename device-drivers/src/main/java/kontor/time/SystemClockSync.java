package kontor.time;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The system clock's synchronisation as Linux knows it, the way {@code timedatectl}'s "System clock
 * synchronized" does: the kernel's NTP state ({@code adjtimex()} answers {@code TIME_ERROR} while the clock is
 * unsynchronised; chrony, ntpd and systemd-timesyncd all clear it once they have set the clock), or
 * systemd-timesyncd's flag file {@code /run/systemd/timesync/synchronized}.
 */
public final class SystemClockSync implements ClockSync {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SystemClockSync.class);
    /** adjtimex's "clock not synchronised" state. */
    static final int TIME_ERROR = 5;

    interface LibC extends Library {
        /** {@code struct timex} is about 208 bytes on 64-bit Linux; a zeroed buffer (modes 0) only reads. */
        int adjtimex(byte[] timex);
    }

    private final Path flag;
    private final LibC libc;

    private SystemClockSync(Path flag, LibC libc) {
        this.flag = flag;
        this.libc = libc;
    }

    public static SystemClockSync create() {
        LibC libc = null;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("Cannot ask the kernel whether the clock is synchronised ({}); only {} is read", e.toString(),
                    "/run/systemd/timesync/synchronized");
        }
        return new SystemClockSync(Path.of("/run/systemd/timesync/synchronized"), libc);
    }

    @Override
    public boolean synchronised() {
        if (Files.exists(flag)) {
            return true;
        }
        if (libc == null) {
            return false;
        }
        return libc.adjtimex(new byte[512]) != TIME_ERROR;
    }
}
