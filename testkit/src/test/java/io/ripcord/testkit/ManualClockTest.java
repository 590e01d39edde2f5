package io.ripcord.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.LengthFieldFrameDecoder;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A manual clock driving a real pool's timers: a real connection's timeouts fire when the test says. */
class ManualClockTest {

    private final ManualClock clock = new ManualClock();
    private EventPool pool;
    private final List<DisconnectCause> disconnects = new CopyOnWriteArrayList<>();
    private final TransportListener server = new TransportListener() {
        @Override
        public void onMessage(Transport t, ByteBuffer message) {
            t.send(message);
        }

        @Override
        public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
            disconnects.add(cause);
        }
    };

    @BeforeEach
    void setUp() {
        pool = clock.startPool(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private Listener listen(TransportOptions options) throws Exception {
        return Listener.bind(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ListenerOptions.builder().transportOptions(options).build(), t -> server);
    }

    private static Socket connect(Listener l) throws Exception {
        Socket s = new Socket();
        s.connect(l.address(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void aReadIdleTimeoutOfAnHourFiresWhenTheHourHasPassedNotBefore() throws Exception {
        try (Listener l = listen(TransportOptions.builder().readIdleTimeout(Duration.ofHours(1)).build());
             Socket s = connect(l)) {
            s.getOutputStream().write(7);
            assertEquals(7, s.getInputStream().read(), "the connection is registered and read from");
            clock.advance(Duration.ofMinutes(59));
            assertEquals(List.of(), disconnects);
            clock.advance(Duration.ofMinutes(1));
            // advance returns once the timers that came due ran, and the close they queued: DISCONNECT is there.
            assertEquals(List.of(DisconnectCause.TIMEOUT), disconnects);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void aFrameHeldTooLongIsClosedAtTheFrameTimeoutToTheMillisecond() throws Exception {
        try (Listener l = listen(TransportOptions.builder().decoder(() -> new LengthFieldFrameDecoder(100))
                .frameTimeout(Duration.ofSeconds(5)).build());
             Socket s = connect(l)) {
            // A whole frame and, in the same write, the start of one that never completes: the echo of the first
            // shows the server has read both (the clock does not move until the test moves it).
            s.getOutputStream().write(new byte[] {0, 0, 0, 1, 42, 0, 0, 0, 9, 1});
            assertEquals(42, s.getInputStream().read(), "the payload of the whole frame, echoed");
            // The echo left during the server's read; the read path notes the partial frame when that read ends.
            // Advancing by nothing waits for the pollers to be done with what they are doing.
            clock.advance(Duration.ZERO);
            clock.advance(Duration.ofMillis(4999));
            assertEquals(List.of(), disconnects);
            clock.advance(Duration.ofMillis(1));
            assertEquals(List.of(DisconnectCause.TIMEOUT), disconnects);
        }
    }

    @Test
    void aPoolOfAnotherClockIsRefusedAndTimeOnlyMovesForward() {
        EventPool other = EventPool.create(EventPoolOptions.builder().pollers(1).build());
        assertThrows(IllegalArgumentException.class, () -> clock.attach(other));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        long t0 = clock.nanoTime();
        clock.advance(Duration.ofDays(365));
        assertEquals(TimeUnit.DAYS.toNanos(365), clock.nanoTime() - t0);
    }
}
