package kontor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every figure gets: the run's settings, a scratch directory, and stderr to say what it is doing
 * (stdout carries only the JSON lines).
 */
record BenchContext(Settings settings, Path work, PrintStream progress) {

    /**
     * How much to do. {@code scale} multiplies every count (taps, events, requests); {@code backlog}
     * and {@code kills} are the backlog-drain and power-cut counts after scaling; {@code runs} how
     * often a throughput is measured (the median is reported).
     */
    record Settings(double scale, int runs, long backlog, int kills, List<String> childJvmOptions) {
        Settings {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("scale must be more than 0");
            }
            if (runs < 1) {
                throw new IllegalArgumentException("runs must be at least 1");
            }
            childJvmOptions = List.copyOf(childJvmOptions);
        }

        /** {@code base} times the scale, never below {@code min}. */
        int scaled(int base, int min) {
            return (int) Math.max(min, Math.round(base * scale));
        }
    }

    /** A fresh, empty directory under the work directory. */
    Path directory(String name) {
        try {
            return Files.createDirectories(work.resolve(name + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + work, e);
        }
    }

    void say(String format, Object... args) {
        progress.println("kontor bench: " + String.format(format, args));
        progress.flush();
    }
}
