package io.ripcord.transport;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.core.PoolShutdownException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DatagramEndpoint} on real sockets; every socket binds 127.0.0.1 and nothing else. */
class DatagramEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EventPool pool;

    private EventPool pool(int n) {
        pool = EventPool.create(EventPoolOptions.builder().pollers(n).threadNamePrefix("udp-test-poller").build());
        return pool.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static InetSocketAddress loopback(int port) throws UnknownHostException {
        // Spelled out, not InetAddress.getLoopbackAddress(): that may be ::1 when IPv6 is preferred.
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    }

    private DatagramEndpoint bind(DatagramHandler handler) throws IOException {
        return bind(DatagramOptions.defaults(), handler);
    }

    private DatagramEndpoint bind(DatagramOptions options, DatagramHandler handler) throws IOException {
        return DatagramEndpoint.bind(pool, loopback(0), options, handler);
    }

    /** A plain blocking socket to see the bytes on the wire from outside the pool. */
    private DatagramSocket rawSocket() throws IOException {
        DatagramSocket s = new DatagramSocket(loopback(0));
        s.setSoTimeout((int) WAIT.toMillis());
        toClose.add(s);
        return s;
    }

    private static byte[] pattern(int seq, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        if (size >= 4) {
            ByteBuffer.wrap(b).putInt(0, seq);
        }
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** Keeps what it receives and how it was closed. */
    private static final class Recorder implements DatagramHandler {
        final ConcurrentLinkedQueue<byte[]> datagrams = new ConcurrentLinkedQueue<>();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<Throwable> cause = new AtomicReference<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onDatagram(DatagramEndpoint endpoint, ByteBuffer datagram, SocketAddress sender) {
            datagrams.add(bytes(datagram));
        }

        @Override
        public void onClose(DatagramEndpoint endpoint, Throwable why) {
            cause.set(why);
            closes.incrementAndGet();
            closed.countDown();
        }
    }

    @Test
    void bindsTheRequestedIpv4LoopbackAddressWithAnEphemeralPort() throws Exception {
        pool(1);
        DatagramEndpoint e = bind(new Recorder());
        InetSocketAddress a = (InetSocketAddress) e.address();
        assertInstanceOf(Inet4Address.class, a.getAddress());
        assertTrue(a.getAddress().isLoopbackAddress(), a.toString());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, a.getAddress().getAddress());
        assertTrue(a.getPort() > 0, a.toString());
        assertTrue(e.isOpen());
    }

    @Test
    void unresolvedAddressesAreRejectedBeforeAnyLookup() throws Exception {
        pool(1);
        DatagramEndpoint e = bind(new Recorder());
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 9);
        IllegalArgumentException send = assertThrows(IllegalArgumentException.class,
                () -> e.send(ByteBuffer.allocate(1), unresolved));
        assertTrue(send.getMessage().contains("unresolved"), send.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DatagramEndpoint.bind(pool, unresolved, DatagramOptions.defaults(), new Recorder()));
        assertEquals(0, e.sent());
        assertEquals(0, e.dropped());
    }

    @Test
    void echoesOneThousandDatagramsByteForByte() throws Exception {
        pool(2);
        int count = 1000;
        List<String> errors = new CopyOnWriteArrayList<>();
        // Room in the receive buffers for a full window even of the largest datagrams (capped by rmem_max).
        DatagramOptions roomy = DatagramOptions.builder().receiveBufferSize(1 << 20).build();
        DatagramEndpoint server = bind(roomy, (e, d, sender) -> {
            if (!e.inPoller()) {
                errors.add("onDatagram ran off the owner poller: " + Thread.currentThread().getName());
            }
            e.send(d, sender); // on the owner with nothing queued: straight from the read buffer
        });
        AtomicIntegerArray seen = new AtomicIntegerArray(count);
        Semaphore window = new Semaphore(8); // bounds datagrams in flight so no socket buffer overflows
        DatagramEndpoint client = bind(roomy, (e, d, sender) -> {
            int size = d.remaining();
            byte[] got = bytes(d);
            int seq = ByteBuffer.wrap(got).getInt(0);
            if (seq < 0 || seq >= count) {
                errors.add("unknown sequence " + seq);
            } else if (!Arrays.equals(pattern(seq, sizeOf(seq)), got)) {
                errors.add("datagram " + seq + " came back different (" + size + " bytes)");
            } else if (!server.address().equals(sender)) {
                errors.add("datagram " + seq + " came back from " + sender);
            } else {
                seen.incrementAndGet(seq);
            }
            window.release();
        });
        for (int seq = 0; seq < count; seq++) {
            assertTrue(window.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "no echo for a window; errors " + errors);
            client.send(ByteBuffer.wrap(pattern(seq, sizeOf(seq))), server.address());
        }
        await().atMost(WAIT).until(() -> client.received() == count);
        assertEquals(List.of(), errors);
        for (int seq = 0; seq < count; seq++) {
            assertEquals(1, seen.get(seq), "datagram " + seq);
        }
        assertEquals(count, client.sent());
        assertEquals(count, server.received());
        assertEquals(count, server.sent());
        assertEquals(0, client.dropped() + server.dropped());
        assertEquals(0, client.handlerFailures() + server.handlerFailures());
        await().atMost(WAIT).until(() -> client.queuedBytes() == 0);
    }

    /** Sizes from 4 bytes to 9 KiB, and every hundredth near the largest IPv4 UDP payload. */
    private static int sizeOf(int seq) {
        return seq % 100 == 99 ? 65_000 : 4 + (seq * 7919) % 9000;
    }

    @Test
    void countsDatagramsSentFromEightThreadsExactly() throws Exception {
        pool(2);
        int threads = 8;
        int perThread = 500;
        int size = 64;
        Semaphore window = new Semaphore(64);
        AtomicIntegerArray seen = new AtomicIntegerArray(threads * perThread);
        AtomicInteger malformed = new AtomicInteger();
        DatagramEndpoint receiver = bind((e, d, sender) -> {
            byte[] got = bytes(d);
            int id = ByteBuffer.wrap(got).getInt(0);
            if (got.length == size && id >= 0 && id < threads * perThread
                    && Arrays.equals(pattern(id, size), got)) {
                seen.incrementAndGet(id);
            } else {
                malformed.incrementAndGet();
            }
            window.release();
        });
        DatagramEndpoint sender = bind(new Recorder());
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> senders = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            Thread th = new Thread(() -> {
                try {
                    start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        if (!window.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                            throw new AssertionError("no progress at datagram " + (first + i));
                        }
                        sender.send(ByteBuffer.wrap(pattern(first + i, size)), receiver.address());
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            }, "udp-test-sender-" + t);
            th.start();
            senders.add(th);
        }
        for (Thread th : senders) {
            th.join(WAIT.toMillis());
            assertFalse(th.isAlive(), th.getName() + " is stuck");
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        await().atMost(WAIT).until(() -> receiver.received() == threads * perThread);
        assertEquals(threads * perThread, sender.sent());
        assertEquals(0, sender.dropped());
        assertEquals(0, malformed.get());
        for (int i = 0; i < threads * perThread; i++) {
            assertEquals(1, seen.get(i), "datagram " + i);
        }
        await().atMost(WAIT).until(() -> sender.queuedBytes() == 0);
    }

    @Test
    void datagramLongerThanTheMaximumIsDroppedAndCountedNotDeliveredCut() throws Exception {
        pool(1);
        Recorder r = new Recorder();
        DatagramEndpoint e = bind(DatagramOptions.builder().maxDatagramSize(1024).build(), r);
        DatagramSocket raw = rawSocket();
        for (int size : new int[] {1024, 1025, 4000, 1}) {
            byte[] b = pattern(size, size);
            raw.send(new DatagramPacket(b, b.length, e.address()));
        }
        await().atMost(WAIT).until(() -> e.received() == 2 && e.truncated() == 2);
        List<byte[]> got = new ArrayList<>(r.datagrams);
        assertEquals(2, got.size());
        assertArrayEquals(pattern(1024, 1024), got.get(0));
        assertArrayEquals(pattern(1, 1), got.get(1));
        assertEquals(2, e.dropped());
        assertTrue(e.isOpen());
        assertEquals(0, r.closes.get());
    }

    @Test
    void handlerExceptionIsCountedAndTheEndpointKeepsServing() throws Exception {
        pool(1);
        Recorder closes = new Recorder();
        DatagramEndpoint e = bind(new DatagramHandler() {
            @Override
            public void onDatagram(DatagramEndpoint endpoint, ByteBuffer d, SocketAddress sender) throws Exception {
                byte first = d.get(d.position());
                if (first == 'X') {
                    throw new IllegalStateException("bad datagram (expected by the test)");
                }
                if (first == 'Y') {
                    throw new IOException("bad datagram (expected by the test)");
                }
                endpoint.send(d, sender);
            }

            @Override
            public void onClose(DatagramEndpoint endpoint, Throwable cause) {
                closes.onClose(endpoint, cause);
            }
        });
        DatagramSocket raw = rawSocket();
        for (String s : new String[] {"X1", "Y2", "ok"}) {
            byte[] b = s.getBytes(US_ASCII);
            raw.send(new DatagramPacket(b, b.length, e.address()));
        }
        DatagramPacket reply = new DatagramPacket(new byte[16], 16);
        raw.receive(reply);
        assertEquals("ok", new String(reply.getData(), 0, reply.getLength(), US_ASCII));
        assertEquals(e.address(), reply.getSocketAddress());
        assertEquals(3, e.received());
        assertEquals(2, e.handlerFailures());
        await().atMost(WAIT).until(() -> e.sent() == 1); // counted just after the send that we saw arrive
        assertTrue(e.isOpen());
        assertEquals(0, closes.closes.get());
    }

    @Test
    void closeFromManyThreadsCallsOnCloseExactlyOnceAndReleasesThePort() throws Exception {
        pool(2);
        Recorder r = new Recorder();
        DatagramEndpoint e = bind(r);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> closers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    e.close();
                } catch (Exception x) {
                    throw new AssertionError(x);
                }
            }, "udp-test-closer-" + t);
            th.start();
            closers.add(th);
        }
        start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        e.close();
        e.execute(e::close); // and once from the owner poller itself
        assertTrue(r.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "onClose never came");
        assertFalse(e.isOpen());
        assertNull(r.cause.get());
        for (Thread th : closers) {
            th.join(WAIT.toMillis());
        }
        // The socket is closed before onClose; the JDK frees the descriptor (and the port) of a channel that was
        // registered with a selector only at that selector's next select, so the port comes free soon after.
        await().atMost(WAIT).until(() -> canBind(e.address()));
        // Every queued close has run once the pool has stopped: still one onClose.
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertEquals(1, r.closes.get());
    }

    @Test
    void aPortInUseIsABindExceptionThatNamesTheAddress() throws Exception {
        pool(1);
        try (DatagramChannel taken = DatagramChannel.open()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketAddress at = taken.getLocalAddress();
            java.net.BindException e = assertThrows(java.net.BindException.class,
                    () -> DatagramEndpoint.bind(pool, at, DatagramOptions.builder().reuseAddress(false).build(),
                            new Recorder()));
            assertTrue(e.getMessage().startsWith("cannot bind UDP " + at + ": "), e.getMessage());
        }
    }

    private static boolean canBind(SocketAddress a) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(a);
            return true;
        } catch (java.net.BindException inUse) {
            return false;
        }
    }

    @Test
    void poolShutdownClosesTheEndpointWithPoolShutdownException() throws Exception {
        pool(2);
        Recorder r = new Recorder();
        DatagramEndpoint e = bind(r);
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertEquals(1, r.closes.get());
        assertInstanceOf(PoolShutdownException.class, r.cause.get());
        assertFalse(e.isOpen());
        e.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), loopback(9));
        assertEquals(1, e.dropped());
        assertEquals(0, e.sent());
        assertEquals(0, e.queuedBytes());
    }

    @Test
    void sendToAClosedEndpointIsANoOpThatIsCounted() throws Exception {
        pool(1);
        Recorder r = new Recorder();
        DatagramEndpoint e = bind(r);
        e.close();
        assertTrue(r.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "onClose never came");
        ByteBuffer b = ByteBuffer.wrap(new byte[100]);
        for (int i = 0; i < 3; i++) {
            b.clear();
            e.send(b, loopback(9));
            assertEquals(b.limit(), b.position(), "send consumes the buffer even when it drops the datagram");
        }
        CountDownLatch fromOwner = new CountDownLatch(1);
        pool.pollers().get(0).execute(() -> {
            e.send(ByteBuffer.allocate(10), e.address());
            fromOwner.countDown();
        });
        assertTrue(fromOwner.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(4, e.dropped());
        assertEquals(0, e.sent());
        assertEquals(0, e.queuedBytes());
        assertEquals(1, r.closes.get());
    }

    @Test
    void datagramsBeyondTheQueueBoundAreDroppedAndCounted() throws Exception {
        pool(1);
        Recorder r = new Recorder();
        DatagramEndpoint receiver = bind(r);
        DatagramEndpoint sender = bind(DatagramOptions.builder().maxQueuedBytes(1000).build(), new Recorder());
        // Hold the one poller so that sends from this thread can only queue.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sender.execute(() -> {
            held.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        try {
            for (int i = 0; i < 10; i++) {
                sender.send(ByteBuffer.wrap(pattern(i, 300)), receiver.address());
            }
            assertEquals(900, sender.queuedBytes());
            assertEquals(7, sender.dropped());
            assertEquals(0, sender.sent());
        } finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> receiver.received() == 3);
        assertEquals(3, sender.sent());
        assertEquals(7, sender.dropped());
        await().atMost(WAIT).until(() -> sender.queuedBytes() == 0);
        List<byte[]> got = new ArrayList<>(r.datagrams);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pattern(i, 300), got.get(i));
        }
    }
}
