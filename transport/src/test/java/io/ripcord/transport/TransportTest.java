package io.ripcord.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private EventPool pool;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("tt").build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private Listener listen(ListenerOptions options, Acceptor acceptor) throws IOException {
        Listener l = Listener.bind(pool, LOOPBACK, options, acceptor);
        toClose.add(l);
        return l;
    }

    private Socket blockingClient(Listener l) throws IOException {
        Socket s = new Socket();
        s.connect(l.address(), 5000);
        s.setSoTimeout(10_000);
        toClose.add(s);
        return s;
    }

    @Test
    void thousandConcurrentConnectionsEchoEveryByte() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(ListenerOptions.defaults(), t -> {
            EventLog log = new EventLog(true);
            serverSide.add(log);
            return log;
        });
        int n = 1000;
        int size = 2048;
        List<CompletableFuture<Transport>> connects = new ArrayList<>();
        List<EventLog> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EventLog c = new EventLog(false);
            clients.add(c);
            connects.add(Connector.connect(pool, l.address(), TransportOptions.defaults(), c));
        }
        List<Transport> transports = new ArrayList<>();
        for (CompletableFuture<Transport> f : connects) {
            transports.add(f.get(20, TimeUnit.SECONDS));
        }
        for (int i = 0; i < n; i++) {
            transports.get(i).send(ByteBuffer.wrap(pattern(i, size)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(c -> c.bytes.get() >= size));
        for (int i = 0; i < n; i++) {
            assertArrayEquals(pattern(i, size), clients.get(i).received.toByteArray(), "connection " + i);
        }
        assertEquals(n, l.connectionCount());
        assertEquals(null, transports.get(0).peerCredentials(), "no peer credentials over TCP");
        for (Transport t : transports) {
            t.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> l.connectionCount() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch(c -> c.disconnects.size() == 1));
        for (EventLog s : serverSide) {
            assertEquals(List.of(DisconnectCause.EOF), s.disconnects);
            assertEquals(1, s.cleanups.get());
        }
        for (EventLog c : clients) {
            assertEquals(List.of(DisconnectCause.LOCAL_CLOSE), c.disconnects);
        }
    }

    static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    @Test
    void acceptComesBeforeTheFirstMessage() throws Exception {
        List<EventLog> logs = new CopyOnWriteArrayList<>();
        Listener l = listen(ListenerOptions.defaults(), t -> {
            EventLog log = new EventLog(false);
            log.events.add("ACCEPTOR");
            logs.add(log);
            return log;
        });
        for (int i = 0; i < 50; i++) {
            Socket s = blockingClient(l);
            // Data sent with the SYN's first segment is ready the moment the connection is registered.
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.size() == 50
                && logs.stream().allMatch(g -> g.disconnects.size() == 1));
        for (EventLog g : logs) {
            assertEquals(List.of("ACCEPTOR", "ACCEPT", "MSG", "DISCONNECT"), g.events);
            assertEquals(5, g.bytes.get());
        }
    }

    @Test
    void peerResetMidReadIsOneResetDisconnect() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.defaults(), t -> server);
        Socket s = blockingClient(l);
        s.getOutputStream().write(new byte[1000]);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.bytes.get() == 1000);
        s.setSoLinger(true, 0);
        s.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.RESET), server.disconnects);
        assertEquals(1, server.cleanups.get());
    }

    @Test
    void peerResetMidWriteIsOneResetDisconnect() throws Exception {
        AtomicReference<Transport> serverTransport = new AtomicReference<>();
        EventLog server = new EventLog(false) {
            @Override
            public void onAccept(Transport t) {
                super.onAccept(t);
                serverTransport.set(t);
            }
        };
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .sendBufferSize(16 * 1024).build()).build(), t -> server);
        Socket s = blockingClient(l);
        s.setReceiveBufferSize(16 * 1024);
        await().atMost(Duration.ofSeconds(5)).until(() -> serverTransport.get() != null);
        Transport t = serverTransport.get();
        // Queue far more than the socket buffers hold; the peer reads a little and then resets.
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 64; i++) {
            t.send(ByteBuffer.wrap(chunk));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> t.queuedBytes() > 0);
        s.getInputStream().read(new byte[1024]);
        s.setSoLinger(true, 0);
        s.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.RESET), server.disconnects);
        assertEquals(0, t.queuedBytes(), "queued buffers released");
        assertFalse(t.isOpen());
    }

    @Test
    void slowReaderHitsTheHighWatermarkAndServerMemoryStaysBounded() throws Exception {
        AtomicReference<Transport> serverTransport = new AtomicReference<>();
        AtomicLong maxQueued = new AtomicLong();
        EventLog server = new EventLog(true) {
            @Override
            public void onMessage(Transport t, ByteBuffer message) {
                serverTransport.set(t);
                super.onMessage(t, message);
                maxQueued.accumulateAndGet(t.queuedBytes(), Math::max);
            }
        };
        TransportOptions opts = TransportOptions.builder().writeWatermarks(32 * 1024, 64 * 1024)
                .pauseReadingWhenUnwritable(true).sendBufferSize(32 * 1024).receiveBufferSize(32 * 1024)
                .readBufferSize(16 * 1024).build();
        Listener l = listen(ListenerOptions.builder().transportOptions(opts).build(), t -> server);
        Socket s = blockingClient(l);
        s.setReceiveBufferSize(32 * 1024);
        // The client writes 16 MiB and reads nothing until the server has stopped reading.
        byte[] chunk = new byte[64 * 1024];
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < 256; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the test closes the socket at the end
            }
        });
        writer.setDaemon(true);
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.writability.contains(false));
        long stuck = server.bytes.get();
        // Reading paused: the writer blocks on full socket buffers instead of the server growing its queue.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> server.bytes.get() == stuck);
        assertTrue(written.get() < 16L * 1024 * 1024, "the writer is blocked");
        assertTrue(maxQueued.get() <= 64 * 1024 + 16 * 1024,
                "queued at most the high watermark plus one read, was " + maxQueued.get());
        // Now drain: everything comes back, writability returns.
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        long want = 256L * chunk.length;
        while (got < want) {
            int n = in.read(buf);
            if (n < 0) {
                fail("EOF after " + got);
            }
            got += n;
        }
        assertEquals(want, got);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.writability.contains(true));
        assertTrue(maxQueued.get() <= 64 * 1024 + 16 * 1024, "max queued " + maxQueued.get());
    }

    @Test
    void halfCloseFromThePeerIsDeliveredAndWeCanStillWrite() throws Exception {
        EventLog server = new EventLog(false) {
            @Override
            public void onInputShutdown(Transport t) {
                super.onInputShutdown(t);
                t.send(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
                t.shutdownOutput();
            }
        };
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .allowHalfClose(true).build()).build(), t -> server);
        Socket s = blockingClient(l);
        s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        byte[] reply = s.getInputStream().readAllBytes();
        assertEquals("bye", new String(reply, StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of("ACCEPT", "MSG", "INPUT_SHUTDOWN", "DISCONNECT"), server.events);
        assertEquals(List.of(DisconnectCause.EOF), server.disconnects);
    }

    @Test
    void halfCloseFromOurSideFlushesThenTheServerSeesEof() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.defaults(), t -> server);
        EventLog client = new EventLog(false);
        Transport t = Connector.connect(pool, l.address(), TransportOptions.builder().allowHalfClose(true).build(),
                client).get(5, TimeUnit.SECONDS);
        byte[] big = pattern(3, 300_000);
        t.send(ByteBuffer.wrap(big));
        t.shutdownOutput();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.disconnects.size() == 1);
        assertArrayEquals(big, server.received.toByteArray());
        assertEquals(List.of(DisconnectCause.EOF), server.disconnects);
        // The server closed after our EOF: the client sees the server's end-of-stream as input shutdown,
        // and with both directions shut it disconnects with EOF.
        await().atMost(Duration.ofSeconds(5)).until(() -> client.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.EOF), client.disconnects);
        assertTrue(client.events.contains("INPUT_SHUTDOWN"));
    }

    @Test
    void readIdleTimeoutDisconnectsWithTimeout() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .readIdleTimeout(Duration.ofMillis(200)).build()).build(), t -> server);
        Socket s = blockingClient(l);
        long t0 = System.nanoTime();
        s.getOutputStream().write(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(List.of(DisconnectCause.TIMEOUT), server.disconnects);
        assertTrue(ms >= 190, "timed out after " + ms + " ms");
        assertEquals(-1, s.getInputStream().read(), "the server closed the socket");
    }

    @Test
    void idleListenerCanKeepTheConnection() throws Exception {
        AtomicInteger idles = new AtomicInteger();
        EventLog server = new EventLog(false) {
            @Override
            public boolean onIdle(Transport t, IdleState state) {
                return idles.incrementAndGet() >= 3;
            }
        };
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .allIdleTimeout(Duration.ofMillis(50)).build()).build(), t -> server);
        blockingClient(l);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
        assertEquals(3, idles.get());
        assertEquals(List.of(DisconnectCause.TIMEOUT), server.disconnects);
    }

    @Test
    void flightRecorderSeesAcceptConnectAndDisconnectWithItsCause() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ripcord", ".jfr");
        EventLog server = new EventLog(true);
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("io.ripcord.Connection");
            r.start();
            Listener l = listen(ListenerOptions.defaults(), t -> server);
            Transport client = Connector.connect(pool, l.address(), TransportOptions.defaults(), new EventLog(true))
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.events.contains("ACCEPT"));
            client.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
            r.stop();
            r.dump(file);
            List<String> seen = new ArrayList<>();
            for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals("io.ripcord.Connection")) {
                    seen.add(e.getString("kind") + (e.getString("cause") == null ? "" : " " + e.getString("cause")));
                }
            }
            java.util.Collections.sort(seen);
            assertEquals(List.of("ACCEPT", "CONNECT", "DISCONNECT EOF", "DISCONNECT LOCAL_CLOSE"), seen);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void aConnectionDescribesItsStateInAStateDump() throws Exception {
        Listener l = listen(ListenerOptions.defaults(), t -> new EventLog(true));
        blockingClient(l);
        await().atMost(Duration.ofSeconds(5)).until(() -> l.connectionCount() == 1);
        StringBuilder out = new StringBuilder();
        pool.dumpState(out);
        String dump = out.toString();
        assertTrue(dump.lines().anyMatch(x -> x.contains(": Transport[") && x.endsWith(" OPEN, queued 0 B")), dump);
        assertTrue(dump.lines().anyMatch(x -> x.endsWith(l + " accepted 1, refused 0, open 1")), dump);
    }

    @Test
    void aTcpPortInUseIsABindExceptionThatNamesTheAddress() throws Exception {
        Listener first = Listener.bind(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ListenerOptions.defaults(), t -> new EventLog(true));
        toClose.add(first);
        java.net.BindException e = assertThrows(java.net.BindException.class, () -> Listener.bind(pool,
                first.address(), ListenerOptions.defaults(), t -> new EventLog(true)));
        assertTrue(e.getMessage().startsWith("cannot listen on " + first.address() + ": "), e.getMessage());
    }

    @Test
    void aUnixPathOwnedByALiveListenerIsNotTakenButAStaleOneIs(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("owned.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        Listener first = Listener.bind(pool, address, ListenerOptions.defaults(), t -> new EventLog(true));
        toClose.add(first);
        IOException clash = assertThrows(IOException.class,
                () -> Listener.bind(pool, address, ListenerOptions.defaults(), t -> new EventLog(true)));
        assertInstanceOf(java.net.BindException.class, clash, clash.toString());
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(address); // still the first listener's
            ch.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer one = ByteBuffer.allocate(1);
            while (one.hasRemaining()) {
                assertTrue(ch.read(one) >= 0, "EOF");
            }
            assertEquals(42, one.get(0));
        }
        first.close();

        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale)); // closed without unlinking: what a crash leaves
        }
        assertTrue(Files.exists(stale));
        Listener second = Listener.bind(pool, UnixDomainSocketAddress.of(stale), ListenerOptions.defaults(),
                t -> new EventLog(true));
        toClose.add(second);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertTrue(ch.connect(UnixDomainSocketAddress.of(stale)));
        }

        Path regular = dir.resolve("data.txt");
        Files.writeString(regular, "not a socket");
        assertThrows(IOException.class, () -> Listener.bind(pool, UnixDomainSocketAddress.of(regular),
                ListenerOptions.defaults(), t -> new EventLog(true)));
        assertEquals("not a socket", Files.readString(regular), "a regular file is never removed");
    }

    @Test
    void unixDomainSocketEcho(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("echo.sock");
        Listener l = Listener.bind(pool, UnixDomainSocketAddress.of(path), ListenerOptions.defaults(),
                t -> new EventLog(true));
        toClose.add(l);
        assertTrue(Files.exists(path));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            byte[] msg = pattern(9, 100_000);
            ByteBuffer out = ByteBuffer.wrap(msg);
            ByteBuffer in = ByteBuffer.allocate(msg.length);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            while (in.hasRemaining()) {
                if (ch.read(in) < 0) {
                    fail("EOF");
                }
            }
            assertArrayEquals(msg, in.array());
        }
        // And with Ripcord's own connector on the client side.
        EventLog client = new EventLog(false);
        Transport t = Connector.connect(pool, UnixDomainSocketAddress.of(path), TransportOptions.defaults(), client)
                .get(5, TimeUnit.SECONDS);
        t.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.bytes.get() == 4);
        // SO_PEERCRED: the other end is this very process.
        assertEquals(Files.getOwner(Path.of("/proc/self")).getName(), t.peerCredentials().user().getName());
        t.close();
        l.close();
        assertFalse(Files.exists(path), "the socket file is removed on close");
    }

    @Test
    void connectToAPortNobodyListensOnFailsWithoutAConnectEvent() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        EventLog client = new EventLog(false);
        CompletableFuture<Transport> f = Connector.connect(pool,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                TransportOptions.builder().connectTimeout(Duration.ofSeconds(2)).build(), client);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        assertTrue(client.events.isEmpty(), "no CONNECT and no DISCONNECT: " + client.events);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.openSlots() == 0);
    }

    @Test
    void connectTimeoutFiresWhenTheServerNeverAnswers() throws Exception {
        // A listener whose backlog is full and that never accepts drops further SYNs: connects hang.
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            boolean hung = false;
            try {
                for (int i = 0; i < 16 && !hung; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(ss.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (IOException timeout) {
                        hung = true;
                        f.close();
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(hung,
                        "this kernel completes connects beyond the backlog; no silent address to time out on");
                EventLog client = new EventLog(false);
                long t0 = System.nanoTime();
                CompletableFuture<Transport> f = Connector.connect(pool, ss.getLocalSocketAddress(),
                        TransportOptions.builder().connectTimeout(Duration.ofMillis(300)).build(), client);
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(5, TimeUnit.SECONDS));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(e.getCause().getMessage().contains("timed out"), e.getCause().getMessage());
                assertTrue(ms >= 290 && ms < 3000, "failed after " + ms + " ms");
                assertTrue(client.events.isEmpty());
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void reconnectPolicyRetriesUntilTheServerAppears() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        EventLog client = new EventLog(false);
        CompletableFuture<Transport> f = Connector.connect(pool, addr, TransportOptions.builder()
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(200), 2, 0.2, 0))
                .build(), client);
        await().atMost(Duration.ofSeconds(2)).during(Duration.ofMillis(100)).until(() -> !f.isDone());
        Listener l = Listener.bind(pool, addr, ListenerOptions.defaults(), t -> new EventLog(true));
        toClose.add(l);
        Transport t = f.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("CONNECT"), client.events);
        t.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.bytes.get() == 3);
    }

    @Test
    void maxConnectionsClosesTheExtraOnesAtOnce() throws Exception {
        Listener l = listen(ListenerOptions.builder().maxConnections(2).build(), t -> new EventLog(true));
        Socket a = blockingClient(l);
        Socket b = blockingClient(l);
        await().atMost(Duration.ofSeconds(5)).until(() -> l.connectionCount() == 2);
        Socket c = blockingClient(l);
        assertEquals(-1, c.getInputStream().read(), "the third connection is closed at once");
        assertEquals(1, l.refusedCount());
        a.getOutputStream().write(5);
        assertEquals(5, a.getInputStream().read());
        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> l.connectionCount() == 1);
        Socket d = blockingClient(l);
        d.getOutputStream().write(6);
        assertEquals(6, d.getInputStream().read());
    }

    @Test
    void lengthFieldFramesArriveWholeWhateverTheSegmentation() throws Exception {
        List<byte[]> frames = new CopyOnWriteArrayList<>();
        TransportOptions opts = TransportOptions.builder().decoder(() -> new LengthFieldFrameDecoder(1 << 20))
                .build();
        Listener l = listen(ListenerOptions.builder().transportOptions(opts).build(), t -> (tr, m) -> {
            byte[] a = new byte[m.remaining()];
            m.get(a);
            frames.add(a);
        });
        Socket s = blockingClient(l);
        s.setTcpNoDelay(true);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        int[] sizes = {0, 1, 5, 300, 70_000, 1 << 20, 17};
        for (int i = 0; i < sizes.length; i++) {
            ByteBuffer hdr = ByteBuffer.allocate(4).putInt(sizes[i]);
            all.write(hdr.array());
            all.write(pattern(i, sizes[i]));
        }
        byte[] wire = all.toByteArray();
        OutputStream out = s.getOutputStream();
        // The first part one byte at a time, the rest in odd chunks.
        int pos = 0;
        for (; pos < 400; pos++) {
            out.write(wire[pos]);
            out.flush();
        }
        while (pos < wire.length) {
            int n = Math.min(7777, wire.length - pos);
            out.write(wire, pos, n);
            pos += n;
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() == sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(pattern(i, sizes[i]), frames.get(i), "frame " + i);
        }
    }

    @Test
    void oversizedLengthFieldIsAProtocolDisconnect() throws Exception {
        EventLog server = new EventLog(false);
        TransportOptions opts = TransportOptions.builder().decoder(() -> new LengthFieldFrameDecoder(1024)).build();
        Listener l = listen(ListenerOptions.builder().transportOptions(opts).build(), t -> server);
        Socket s = blockingClient(l);
        s.getOutputStream().write(ByteBuffer.allocate(4).putInt(0x7fffffff).array());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), server.disconnects);
        assertTrue(server.errors.get(0) instanceof FrameException);
        assertEquals(-1, s.getInputStream().read());
    }

    @Test
    void linesAreSplitOnNewlines() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        TransportOptions opts = TransportOptions.builder().decoder(() -> new LineFrameDecoder(100)).build();
        Listener l = listen(ListenerOptions.builder().transportOptions(opts).build(), t -> (tr, m) ->
                lines.add(StandardCharsets.UTF_8.decode(m).toString()));
        Socket s = blockingClient(l);
        OutputStream out = s.getOutputStream();
        out.write("one\r\ntw".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write("o\n\nthree\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() == 4);
        assertEquals(List.of("one", "two", "", "three"), lines);
    }

    @Test
    void handlerExceptionIsAProtocolDisconnectOfThatConnectionOnly() throws Exception {
        List<DisconnectCause> causes = new CopyOnWriteArrayList<>();
        Listener l = listen(ListenerOptions.defaults(), t -> new TransportListener() {
            @Override
            public void onMessage(Transport tr, ByteBuffer m) {
                if (m.get(m.position()) == 'x') {
                    throw new IllegalStateException("bad input");
                }
                tr.send(m);
            }

            @Override
            public void onDisconnect(Transport tr, DisconnectCause cause, Throwable error) {
                causes.add(cause);
            }
        });
        Socket bad = blockingClient(l);
        Socket good = blockingClient(l);
        bad.getOutputStream().write('x');
        assertEquals(-1, bad.getInputStream().read());
        good.getOutputStream().write('g');
        assertEquals('g', good.getInputStream().read());
        await().atMost(Duration.ofSeconds(5)).until(() -> causes.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), causes);
        good.getOutputStream().write('h');
        assertEquals('h', good.getInputStream().read());
        assertEquals(1, causes.size());
    }

    @Test
    void sendFromManyThreadsKeepsEachThreadsOrder() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .decoder(() -> new LengthFieldFrameDecoder(64)).build()).build(), t -> new TransportListener() {
                    final int[] next = new int[8];

                    @Override
                    public void onMessage(Transport tr, ByteBuffer m) {
                        int thread = m.getInt();
                        int seq = m.getInt();
                        if (next[thread] != seq) {
                            server.errors.add(new AssertionError("thread " + thread + " expected " + next[thread]
                                    + " got " + seq));
                        }
                        next[thread] = seq + 1;
                        server.bytes.incrementAndGet();
                    }
                });
        Transport t = Connector.connect(pool, l.address(), TransportOptions.defaults(), new EventLog(false))
                .get(5, TimeUnit.SECONDS);
        int perThread = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int id = i;
            Thread th = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(12);
                for (int s = 0; s < perThread; s++) {
                    b.clear();
                    b.putInt(8).putInt(id).putInt(s).flip();
                    t.send(b);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.bytes.get() == 8L * perThread);
        assertTrue(server.errors.isEmpty(), String.valueOf(server.errors));
    }

    @Test
    void closeFlushesWhatIsQueuedAndAbortDoesNot() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.defaults(), t -> server);
        Transport t = Connector.connect(pool, l.address(), TransportOptions.defaults(), new EventLog(false))
                .get(5, TimeUnit.SECONDS);
        byte[] big = pattern(1, 2_000_000);
        t.send(ByteBuffer.wrap(big));
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.disconnects.size() == 1);
        assertArrayEquals(big, server.received.toByteArray());
        assertEquals(List.of(DisconnectCause.EOF), server.disconnects);
    }

    @Test
    void closeAndShutdownOutputFromCONNECTTakeEffectAtOnce() throws Exception {
        EventLog server = new EventLog(false);
        Listener l = listen(ListenerOptions.builder().transportOptions(TransportOptions.builder()
                .allowHalfClose(true).build()).build(), t -> server);
        EventLog closing = new EventLog(false) {
            @Override
            public void onConnect(Transport t) {
                super.onConnect(t);
                t.close();
            }
        };
        Connector.connect(pool, l.address(), TransportOptions.defaults(), closing).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> closing.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.LOCAL_CLOSE), closing.disconnects);

        EventLog halfClosing = new EventLog(false) {
            @Override
            public void onConnect(Transport t) {
                super.onConnect(t);
                t.shutdownOutput();
            }
        };
        Connector.connect(pool, l.address(), TransportOptions.builder().allowHalfClose(true).build(), halfClosing)
                .get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.events.contains("INPUT_SHUTDOWN"));
    }

    @Test
    void shutdownDisconnectsEveryConnectionOnceWithShutdown() throws Exception {
        List<EventLog> logs = new CopyOnWriteArrayList<>();
        Listener l = listen(ListenerOptions.defaults(), t -> {
            EventLog g = new EventLog(true);
            logs.add(g);
            return g;
        });
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Socket s = blockingClient(l);
            s.getOutputStream().write(1);
            sockets.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.size() == 100
                && logs.stream().allMatch(g -> g.bytes.get() == 1));
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        for (EventLog g : logs) {
            assertEquals(List.of(DisconnectCause.SHUTDOWN), g.disconnects);
            assertEquals(1, g.cleanups.get());
        }
        for (Socket s : sockets) {
            assertEquals(1, s.getInputStream().read());
            assertEquals(-1, s.getInputStream().read());
        }
    }
}
