package kontor.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** The benchmarks' logging: errors only, in the bench and in every child JVM it starts. */
final class QuietLogging {

    private QuietLogging() { }

    /** Every event is logged at INFO: at thousands a second that would be the benchmark. */
    static void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger("kontor").setLevel(Level.ERROR);
            logback.getLogger("com.pi4j").setLevel(Level.OFF);
            logback.getLogger("org.eclipse.paho").setLevel(Level.ERROR);
            logback.getLogger("org.h2").setLevel(Level.ERROR);
            logback.getLogger("net.fortuna").setLevel(Level.ERROR); // ical4j, read by the calendar sync
        }
    }
}
