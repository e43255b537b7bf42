package kontor.device.gpio;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import kontor.device.CardReader;
import kontor.device.Cards;
import kontor.device.DeviceListener;
import kontor.device.Signal;
import kontor.device.wiegand.WiegandDecoder;
import kontor.device.wiegand.WiegandDecoder.Card;
import kontor.device.wiegand.WiegandEncoder;
import kontor.device.wiegand.WiegandDecoder.Rejected;
import kontor.device.wiegand.WiegandDecoder.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Wiegand reader on two header pins: a pulse on D0 is a 0, on D1 a 1. Bit times are
 * {@link System#nanoTime()} and frames end on a real-time timer: the wire's timing is the reader's,
 * not the site clock's, which a simulation may have stopped.
 */
final class WiegandReader extends DeviceBase implements CardReader {
    private static final Logger log = LoggerFactory.getLogger(WiegandReader.class);

    private final WiegandDecoder decoder;
    private final ScheduledExecutorService realTime;
    private ScheduledFuture<?> frameEnd;

    WiegandReader(String id, DeviceListener listener, WiegandDecoder decoder, ScheduledExecutorService realTime) {
        super(id, listener);
        this.decoder = decoder;
        this.realTime = realTime;
    }

    /**
     * Runs the decoding path once, off the record, so that the first real card does not pay for
     * class loading and cold code: on a Pi that can stretch the gap between two bits past the bounds.
     */
    void warmUp(WiegandDecoder.Timing timing) {
        WiegandDecoder scratch = new WiegandDecoder(timing);
        long t = System.nanoTime();
        String frame = WiegandEncoder.encode("00000000000000");
        for (int i = 0; i < frame.length(); i++) {
            t += timing.minBitInterval().toNanos() + 1_000_000L;
            scratch.feed(frame.charAt(i) - '0', t);
        }
        Optional<Result> result = scratch.poll(t + timing.frameGap().toNanos());
        result.ifPresent(r -> log.trace("Reader {} warmed up: {}", id(), r));
        try {
            realTime.schedule(() -> { }, 1, TimeUnit.HOURS).cancel(false);
        } catch (RuntimeException e) {
            log.debug("Reader {} cannot warm up its timer", id(), e);
        }
    }

    void d0(boolean active) {
        if (active) {
            bit(0);
        }
    }

    void d1(boolean active) {
        if (active) {
            bit(1);
        }
    }

    private void bit(int bit) {
        Optional<Result> previous;
        synchronized (this) {
            if (isClosed()) {
                return;
            }
            previous = decoder.feed(bit, System.nanoTime());
            scheduleFrameEnd();
        }
        previous.ifPresent(this::report);
    }

    private void scheduleFrameEnd() {
        if (frameEnd != null) {
            frameEnd.cancel(false);
        }
        long delay = Math.max(0, decoder.frameEndsAt() - System.nanoTime());
        try {
            frameEnd = realTime.schedule(this::endFrame, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug("Reader {} cannot time its frame any more", id(), e);
        }
    }

    private void endFrame() {
        Optional<Result> result;
        synchronized (this) {
            result = decoder.poll(System.nanoTime());
            if (result.isEmpty() && decoder.inFrame()) {
                scheduleFrameEnd();
            }
        }
        result.ifPresent(this::report);
    }

    private void report(Result result) {
        switch (result) {
            case Card card -> {
                log.debug("Reader {} read card {}", id(), Cards.mask(card.hex()));
                emit(new Signal.CardPresented(id(), card.hex()));
            }
            case Rejected rejected -> {
                log.info("Reader {} saw an unreadable frame: {}", id(), rejected.reason());
                emit(new Signal.CardUnreadable(id(), rejected.reason()));
            }
        }
    }

    @Override
    synchronized void beforeClose() {
        if (frameEnd != null) {
            frameEnd.cancel(false);
        }
    }
}
