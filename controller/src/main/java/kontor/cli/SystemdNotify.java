package kontor.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * systemd's notification protocol ({@code sd_notify}): one datagram such as {@code READY=1} or {@code WATCHDOG=1}
 * to the UNIX socket named by {@code NOTIFY_SOCKET} (a path, or {@code @name} in the abstract namespace). The JDK
 * has no UNIX datagram sockets, so libc's {@code socket}/{@code sendto} are called through JNA (already on the
 * class path for Pi4J), rather than linking libsystemd.
 */
public final class SystemdNotify implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SystemdNotify.class);
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    static final int SOCKADDR_UN = 110;

    /** The few libc calls both ends of the protocol need (size_t as NativeLong: 32 bits on a 32-bit Pi OS). */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength);

        int bind(int fd, byte[] address, int addressLength);

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);
    }

    private final byte[] address;
    private final int addressLength;
    private final String socketName;
    private int fd;

    private SystemdNotify(String socketName) {
        this.socketName = socketName;
        this.address = address(socketName);
        this.addressLength = length(socketName);
        this.fd = LibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("cannot open a UNIX datagram socket (errno " + Native.getLastError() + ")");
        }
    }

    /** The notifier for {@code notifySocket} (the value of NOTIFY_SOCKET), or null when not run by systemd with Type=notify. */
    public static SystemdNotify of(String notifySocket) {
        if (notifySocket == null || notifySocket.isBlank()) {
            return null;
        }
        if (notifySocket.getBytes(StandardCharsets.UTF_8).length > SOCKADDR_UN - 3) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is longer than a UNIX socket path may be: " + notifySocket);
        }
        try {
            return new SystemdNotify(notifySocket);
        } catch (LinkageError | IllegalStateException e) {
            // Without it systemd never hears READY=1 and stops the start after TimeoutStartSec: say why, once.
            log.error("Cannot reach systemd's NOTIFY_SOCKET {}: {}; the service will time out starting", notifySocket, e.toString());
            return null;
        }
    }

    /** Sends one state ({@code READY=1}, {@code WATCHDOG=1}, {@code STOPPING=1}); false (and a log line) if it could not. */
    public synchronized boolean send(String state) {
        if (fd < 0) {
            return false;
        }
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        long sent = LibC.INSTANCE.sendto(fd, message, new NativeLong(message.length), 0, address, addressLength).longValue();
        if (sent != message.length) {
            log.warn("Could not tell systemd {} through {} (errno {})", state, socketName, Native.getLastError());
            return false;
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            LibC.INSTANCE.close(fd);
            fd = -1;
        }
    }

    /** struct sockaddr_un for a path, or for {@code @name} in the abstract namespace (a leading NUL byte). */
    static byte[] address(String name) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_UN).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        if (name.startsWith("@")) {
            path[0] = 0;
        }
        b.put(path);
        return b.array();
    }

    /** The address length: the family, the path and its NUL; an abstract name has no terminating NUL. */
    static int length(String name) {
        int path = name.getBytes(StandardCharsets.UTF_8).length;
        return 2 + path + (name.startsWith("@") ? 0 : 1);
    }
}
