package kontor.bench.jmh;

import static kontor.core.Events.fields;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import kontor.journal.Event;
import kontor.journal.EventJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** An event's JSON as published: every event goes through it once per delivery. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventJsonBench {
    private final EventJson json = new EventJson(ZoneId.of("Europe/Stockholm"));
    private final Event granted = new Event(123_456, Instant.parse("2026-11-26T08:00:00.123Z"), "card.granted",
            "reader-bank-a", fields("card", "…C001", "member", "m-3f9a2c71", "role", "visitor"));

    @Benchmark
    public byte[] toJson() {
        return json.toJson(granted);
    }
}
