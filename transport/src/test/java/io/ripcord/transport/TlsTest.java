package io.ripcord.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS over real loopback sockets, against the JDK's own {@code SSLSocket} and between two Ripcord ends. */
class TlsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final String POLLER_PREFIX = "tls-poller";

    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private EventPool pool;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void contexts() throws Exception {
        serverContext = TlsContexts.get().server;
        clientContext = TlsContexts.get().client;
    }

    @BeforeEach
    void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix(POLLER_PREFIX).build())
                .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private static TransportOptions.Builder serverOptions(TlsOptions tls) {
        return TransportOptions.builder().tls(tls);
    }

    private static TlsOptions serverTls() {
        return TlsOptions.server(serverContext);
    }

    private static TlsOptions clientTls(SocketAddress server) {
        return TlsOptions.client(clientContext, "localhost", ((InetSocketAddress) server).getPort());
    }

    private Listener listen(TransportOptions options, Acceptor acceptor) throws IOException {
        Listener l = Listener.bind(pool, LOOPBACK, ListenerOptions.builder().transportOptions(options).build(),
                acceptor);
        toClose.add(l);
        return l;
    }

    private SSLSocket jdkClient(SocketAddress server) throws IOException {
        SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket();
        toClose.add(s);
        s.connect(server, 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static byte[] pattern(int seed, int size) {
        return TransportTest.pattern(seed, size);
    }

    @Test
    void tlsServerEchoesEveryByteToAJdkSslSocket() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(serverOptions(serverTls()).build(), t -> {
            EventLog log = new EventLog(true);
            serverSide.add(log);
            return log;
        });
        int[] sizes = {1, 100, 16_384, 16_385, 70_000, 1 << 20, 3};
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (SSLSocket s = jdkClient(l.address())) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < sizes.length; i++) {
                byte[] m = pattern(i, sizes[i]);
                out.write(m);
                expected.write(m);
            }
            out.flush();
            byte[] echoed = in.readNBytes(expected.size());
            assertArrayEquals(expected.toByteArray(), echoed);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.size() == 1
                && serverSide.get(0).cleanups.get() == 1);
        EventLog server = serverSide.get(0);
        assertEquals(List.of("ACCEPT", "MSG", "DISCONNECT"), server.events);
        assertEquals(List.of(DisconnectCause.EOF), server.disconnects);
        assertTrue(server.errors.isEmpty(), () -> "errors: " + server.errors);
        assertArrayEquals(expected.toByteArray(), server.received.toByteArray());
        await().atMost(Duration.ofSeconds(5)).until(() -> l.connectionCount() == 0);
    }

    @Test
    void echoesOfRecordsReadInOneWakeupLeaveWrappedTogether() throws Exception {
        // No decoder: each record's plaintext is a message of its own, echoed by a send on the poller.
        Listener l = listen(serverOptions(serverTls()).build(), t -> (tr, m) -> tr.send(m));
        try (Socket s = new Socket()) {
            toClose.add(s);
            s.connect(l.address(), 5000);
            s.setSoTimeout(20_000);
            EngineClient client = new EngineClient(clientContext, s);
            s.getOutputStream().write(client.firstFlight());
            client.finishHandshake();
            byte[][] messages = new byte[8][];
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < messages.length; i++) {
                messages[i] = pattern(i, 16);
                expected.write(messages[i]);
            }
            // One write of eight records: one socket read on the server, eight messages delivered in one wakeup.
            client.sendRecordsInOneWrite(messages);
            byte[] echoed = new byte[expected.size()];
            int records = client.receiveCountingRecords(echoed);
            assertArrayEquals(expected.toByteArray(), echoed);
            assertEquals(1, records, "the eight echoes should leave in one record, wrapped at the end of the wakeup");
        }
    }

    @Test
    void clientConnectWaitsForTheHandshakeAndCloseSendsCloseNotify() throws Exception {
        SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        CountDownLatch handshake = new CountDownLatch(1);
        CompletableFuture<String> serverEnd = new CompletableFuture<>();
        Thread jdkServer = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(20_000);
                assertTrue(handshake.await(20, TimeUnit.SECONDS));
                s.startHandshake();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                serverEnd.complete("end of stream");
            } catch (Throwable e) {
                serverEnd.completeExceptionally(e);
            }
        }, "jdk-tls-server");
        jdkServer.start();

        EventLog client = new EventLog(false);
        SocketAddress address = server.getLocalSocketAddress();
        CompletableFuture<Transport> connect = Connector.connect(pool, address,
                TransportOptions.builder().tls(clientTls(address)).build(), client);
        // The JDK accepts the TCP connection at once but holds its side of the handshake: no CONNECT yet.
        assertThrows(TimeoutException.class, () -> connect.get(300, TimeUnit.MILLISECONDS));
        assertTrue(client.events.isEmpty(), () -> "events before the handshake: " + client.events);
        handshake.countDown();
        Transport t = connect.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("CONNECT"), client.events);

        byte[] msg = pattern(7, 50_000);
        t.send(ByteBuffer.wrap(msg));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.bytes.get() >= msg.length);
        assertArrayEquals(msg, client.received.toByteArray());

        t.close();
        // A clean close_notify: the JDK reads end-of-stream, not an SSLException.
        assertEquals("end of stream", serverEnd.get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.LOCAL_CLOSE), client.disconnects);
        jdkServer.join(10_000);
    }

    @Test
    void shutdownOutputSendsCloseNotifyAndTheReplyStillArrives() throws Exception {
        SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        Thread jdkServer = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(20_000);
                // Reads to end of stream (our close_notify), then answers: TLS 1.3 half-close (RFC 8446 §6.1).
                byte[] request = s.getInputStream().readAllBytes();
                s.getOutputStream().write(("got " + request.length).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                serverGot.complete(request);
            } catch (Throwable e) {
                serverGot.completeExceptionally(e);
            }
        }, "jdk-tls-half-close");
        jdkServer.start();
        EventLog client = new EventLog(false);
        SocketAddress address = server.getLocalSocketAddress();
        Transport t = Connector.connect(pool, address, TransportOptions.builder().allowHalfClose(true)
                .tls(clientTls(address)).build(), client).get(10, TimeUnit.SECONDS);
        byte[] request = pattern(9, 40_000);
        t.send(ByteBuffer.wrap(request));
        t.shutdownOutput();
        assertArrayEquals(request, serverGot.get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.cleanups.get() == 1);
        assertEquals("got 40000", new String(client.received.toByteArray(), StandardCharsets.US_ASCII));
        assertEquals(List.of("CONNECT", "MSG", "INPUT_SHUTDOWN", "DISCONNECT"), client.events);
        assertEquals(List.of(DisconnectCause.EOF), client.disconnects);
        jdkServer.join(10_000);
    }

    @Test
    void framedMessagesFromManyThreadsCrossTlsInOrder() throws Exception {
        TransportOptions framed = TransportOptions.builder().decoder(() -> new LengthFieldFrameDecoder(1 << 20))
                .build();
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(framed.toBuilder().tls(serverTls()).build(), t -> {
            EventLog log = new EventLog(false) {
                @Override
                public void onMessage(Transport tr, ByteBuffer frame) {
                    ByteBuffer reply = ByteBuffer.allocate(4 + frame.remaining());
                    reply.putInt(frame.remaining()).put(frame).flip();
                    tr.send(reply);
                }
            };
            serverSide.add(log);
            return log;
        });

        int threads = 4;
        int perThread = 300;
        AtomicInteger[] next = new AtomicInteger[threads];
        for (int i = 0; i < threads; i++) {
            next[i] = new AtomicInteger();
        }
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger frames = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        EventLog client = new EventLog(false) {
            @Override
            public void onMessage(Transport tr, ByteBuffer frame) {
                int thread = frame.getInt(0);
                int seq = frame.getInt(4);
                int expectedSeq = next[thread].getAndIncrement();
                byte[] body = new byte[frame.remaining() - 8];
                frame.get(frame.position() + 8, body);
                if (seq != expectedSeq) {
                    problems.add("thread " + thread + ": got " + seq + ", expected " + expectedSeq);
                } else if (!java.util.Arrays.equals(body, pattern(thread * 100_000 + seq, sizeOf(seq)))) {
                    problems.add("thread " + thread + " message " + seq + ": wrong bytes");
                }
                frames.incrementAndGet();
            }

            @Override
            public void onMessageSent(Transport tr, Object context) {
                sent.incrementAndGet();
            }
        };
        SocketAddress address = l.address();
        Transport t = Connector.connect(pool, address, framed.toBuilder().tls(clientTls(address)).build(), client)
                .get(10, TimeUnit.SECONDS);

        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int seq = 0; seq < perThread; seq++) {
                        byte[] body = pattern(thread * 100_000 + seq, sizeOf(seq));
                        ByteBuffer m = ByteBuffer.allocate(12 + body.length);
                        m.putInt(8 + body.length).putInt(thread).putInt(seq).put(body).flip();
                        t.send(m, seq);
                    }
                }, senders));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } finally {
            senders.shutdown();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> frames.get() == threads * perThread
                || !problems.isEmpty());
        assertEquals(List.of(), problems);
        assertEquals(threads * perThread, sent.get(), "MSG_SENT per message");
        assertEquals(0, t.queuedBytes());
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.cleanups.get() == 1
                && serverSide.get(0).cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.LOCAL_CLOSE), client.disconnects);
        assertEquals(List.of(DisconnectCause.EOF), serverSide.get(0).disconnects);
        assertEquals(List.of(), serverSide.get(0).errors, "close() sends close_notify: no truncation");
    }

    @Test
    void abortSendsNoCloseNotifySoThePeerSeesATruncatedStream() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(serverOptions(serverTls()).build(), t -> {
            EventLog log = new EventLog(true);
            serverSide.add(log);
            return log;
        });
        EventLog client = new EventLog(false);
        SocketAddress address = l.address();
        Transport t = Connector.connect(pool, address, TransportOptions.builder().tls(clientTls(address)).build(),
                client).get(10, TimeUnit.SECONDS);
        byte[] m = pattern(4, 2000);
        t.send(ByteBuffer.wrap(m));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.bytes.get() >= m.length);
        t.abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.get(0).cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.EOF), serverSide.get(0).disconnects);
        assertEquals(1, serverSide.get(0).errors.size());
        assertInstanceOf(SSLException.class, serverSide.get(0).errors.get(0));
        assertEquals(List.of(DisconnectCause.LOCAL_CLOSE), client.disconnects);
    }

    private static int sizeOf(int seq) {
        return (seq * 7919) % 40_000;
    }

    @Test
    void plaintextClientIsAProtocolDisconnectAndTheServerStaysUp() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(serverOptions(serverTls()).build(), t -> {
            EventLog log = new EventLog(true);
            serverSide.add(log);
            return log;
        });
        try (Socket plain = new Socket()) {
            plain.connect(l.address(), 5000);
            plain.setSoTimeout(20_000);
            plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.size() == 1
                    && serverSide.get(0).cleanups.get() == 1);
            // The server closed: whatever alert it managed to send, then end of stream (or a reset).
            try {
                InputStream in = plain.getInputStream();
                while (in.read() >= 0) {
                    continue;
                }
            } catch (IOException expected) {
                // A reset is as good as an end of stream here.
            }
        }
        EventLog bad = serverSide.get(0);
        assertEquals(List.of(DisconnectCause.PROTOCOL), bad.disconnects);
        assertEquals(1, bad.errors.size());
        assertInstanceOf(SSLException.class, bad.errors.get(0));
        assertEquals(0L, bad.bytes.get(), "no plaintext may reach the listener");

        try (SSLSocket s = jdkClient(l.address())) {
            byte[] m = pattern(3, 1000);
            s.getOutputStream().write(m);
            assertArrayEquals(m, s.getInputStream().readNBytes(m.length));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.size() == 2
                && serverSide.get(1).cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.EOF), serverSide.get(1).disconnects);
        assertEquals(List.of(DisconnectCause.PROTOCOL), bad.disconnects);
    }

    @Test
    void delegatedTasksRunOffThePollers() throws Exception {
        List<String> handedFrom = new CopyOnWriteArrayList<>();
        List<String> ranOn = new CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "tls-task-worker"));
        try {
            Executor recording = task -> {
                handedFrom.add(Thread.currentThread().getName());
                workers.execute(() -> {
                    ranOn.add(Thread.currentThread().getName());
                    task.run();
                });
            };
            List<EventLog> serverSide = new CopyOnWriteArrayList<>();
            Listener l = listen(serverOptions(serverTls().delegatedTaskExecutor(recording)).build(), t -> {
                EventLog log = new EventLog(true);
                serverSide.add(log);
                return log;
            });
            EventLog client = new EventLog(false);
            SocketAddress address = l.address();
            Transport t = Connector.connect(pool, address,
                    TransportOptions.builder().tls(clientTls(address).delegatedTaskExecutor(recording)).build(),
                    client).get(10, TimeUnit.SECONDS);
            byte[] m = pattern(5, 4000);
            t.send(ByteBuffer.wrap(m));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.bytes.get() >= m.length);
            assertArrayEquals(m, client.received.toByteArray());
            t.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.cleanups.get() == 1);

            assertFalse(ranOn.isEmpty(), "the engines handed out no delegated task");
            assertTrue(ranOn.stream().noneMatch(n -> n.startsWith(POLLER_PREFIX)), () -> "ran on " + ranOn);
            assertTrue(handedFrom.stream().allMatch(n -> n.startsWith(POLLER_PREFIX)),
                    () -> "handed over from " + handedFrom);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void aHeldDelegatedTaskDoesNotHoldThePoller() throws Exception {
        EventPool single = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("tls-one")
                .build()).start();
        ExecutorService background = Executors.newCachedThreadPool();
        List<Listener> listeners = new ArrayList<>();
        try {
            Gate gate = new Gate(background);
            Listener tlsListener = Listener.bind(single, LOOPBACK, ListenerOptions.builder().transportOptions(
                    serverOptions(serverTls().delegatedTaskExecutor(gate)).build()).build(), t -> new EventLog(true));
            listeners.add(tlsListener);
            Listener plainListener = Listener.bind(single, LOOPBACK, ListenerOptions.defaults(),
                    t -> new EventLog(true));
            listeners.add(plainListener);

            SSLSocket tlsClient = jdkClient(tlsListener.address());
            CompletableFuture<byte[]> tlsEcho = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] m = pattern(11, 5000);
                    tlsClient.getOutputStream().write(m);
                    return tlsClient.getInputStream().readNBytes(m.length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, background);
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.heldCount() > 0);

            // The only poller still serves another connection while the TLS server's task is held.
            try (Socket plain = new Socket()) {
                plain.connect(plainListener.address(), 5000);
                plain.setSoTimeout(10_000);
                byte[] m = pattern(12, 3000);
                plain.getOutputStream().write(m);
                assertArrayEquals(m, plain.getInputStream().readNBytes(m.length));
            }
            assertFalse(tlsEcho.isDone());

            gate.open();
            assertArrayEquals(pattern(11, 5000), tlsEcho.get(10, TimeUnit.SECONDS));
        } finally {
            listeners.forEach(Listener::close);
            single.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            background.shutdownNow();
        }
    }

    @Test
    void untrustedServerCertificateFailsTheConnectFuture() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Listener l = listen(serverOptions(serverTls()).build(), t -> {
            EventLog log = new EventLog(true);
            serverSide.add(log);
            return log;
        });
        // The JDK's default trust store (cacerts) does not know the test's self-signed certificate.
        SSLContext trustsNothing = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        trustsNothing.init(null, tmf.getTrustManagers(), null);
        EventLog client = new EventLog(false);
        SocketAddress address = l.address();
        CompletableFuture<Transport> connect = Connector.connect(pool, address, TransportOptions.builder()
                .tls(TlsOptions.client(trustsNothing, "localhost", -1)).build(), client);
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, e.getCause(), () -> "cause: " + e.getCause());
        assertTrue(client.events.isEmpty(), () -> "a failed handshake is no connection: " + client.events);
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.size() == 1
                && serverSide.get(0).cleanups.get() == 1);
        assertEquals(1, serverSide.get(0).disconnects.size());
    }

    @Test
    void silentPeerTimesOutTheHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EventLog client = new EventLog(false);
            SocketAddress address = silent.getLocalSocketAddress();
            CompletableFuture<Transport> connect = Connector.connect(pool, address, TransportOptions.builder()
                    .tls(clientTls(address).handshakeTimeout(Duration.ofMillis(200))).build(), client);
            try (Socket accepted = silent.accept()) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> connect.get(10, TimeUnit.SECONDS));
                assertInstanceOf(SSLHandshakeException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("not done after 200 ms"), e.getCause()::getMessage);
                assertTrue(client.events.isEmpty());
            }
        }
    }

    @Test
    void sidesAreChecked() {
        TransportOptions client = TransportOptions.builder().tls(clientTls(new InetSocketAddress(1))).build();
        TransportOptions server = TransportOptions.builder().tls(serverTls()).build();
        assertThrows(IllegalArgumentException.class, () -> Listener.bind(pool, LOOPBACK,
                ListenerOptions.builder().transportOptions(client).build(), t -> new EventLog(false)));
        assertThrows(IllegalArgumentException.class, () -> Connector.connect(pool, new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 1), server, new EventLog(false)));
        assertTrue(clientTls(new InetSocketAddress(1)).isClient());
        assertFalse(serverTls().isClient());
        assertThrows(IllegalStateException.class, () -> clientTls(new InetSocketAddress(1)).needClientAuth(true));
        assertThrows(IllegalArgumentException.class, () -> serverTls().handshakeTimeout(Duration.ofSeconds(-1)));
    }

    /** An executor that holds tasks until opened, then hands them (and all later ones) to another. */
    private static final class Gate implements Executor {
        private final Executor next;
        private final ArrayDeque<Runnable> held = new ArrayDeque<>();
        private boolean open;

        Gate(Executor next) {
            this.next = next;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (!open) {
                    held.add(task);
                    return;
                }
            }
            next.execute(task);
        }

        synchronized int heldCount() {
            return held.size();
        }

        void open() {
            List<Runnable> release;
            synchronized (this) {
                open = true;
                release = new ArrayList<>(held);
                held.clear();
            }
            release.forEach(next::execute);
        }
    }

    /**
     * A slow peer over TLS: a complete frame is served, then a TLS record that never completes (its header
     * promises 100 bytes, 10 come) waits in the engine's input buffer, where no frame decoder sees it; the frame
     * timeout must close it all the same.
     */
    @Test
    void aPartialTlsRecordHeldPastTheFrameTimeoutIsClosedWithTimeout() throws Exception {
        List<EventLog> serverSide = new CopyOnWriteArrayList<>();
        Duration frameTimeout = Duration.ofMillis(300);
        Listener l = listen(serverOptions(serverTls()).decoder(() -> new LengthFieldFrameDecoder(1024))
                .frameTimeout(frameTimeout).build(), t -> {
                    EventLog log = new EventLog(true);
                    serverSide.add(log);
                    return log;
                });
        Socket plain = new Socket();
        toClose.add(plain);
        plain.connect(l.address(), 5000);
        plain.setSoTimeout(20_000);
        SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, "localhost",
                ((InetSocketAddress) l.address()).getPort(), false);
        toClose.add(s);
        s.startHandshake();
        byte[] payload = pattern(7, 20);
        s.getOutputStream().write(ByteBuffer.allocate(24).putInt(20).put(payload).array());
        s.getOutputStream().flush();
        assertArrayEquals(payload, s.getInputStream().readNBytes(20), "a whole frame is echoed");
        long t0 = System.nanoTime();
        OutputStream raw = plain.getOutputStream();
        raw.write(new byte[] {23, 3, 3, 0, 100}); // application_data, TLS 1.2 framing, 100 bytes follow
        raw.write(new byte[10]);
        raw.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.size() == 1
                && serverSide.get(0).cleanups.get() == 1);
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        EventLog server = serverSide.get(0);
        assertEquals(List.of(DisconnectCause.TIMEOUT), server.disconnects);
        assertTrue(heldMillis >= frameTimeout.toMillis(), "closed after " + heldMillis + " ms, before the timeout");
        assertArrayEquals(payload, server.received.toByteArray());
    }

    /** Connects with {@code client} to a listener with {@code server}; the server side's log is added to {@code logs}. */
    private CompletableFuture<Transport> connectTls(TlsOptions server, java.util.function.Function<SocketAddress,
            TlsOptions> client, List<EventLog> logs, List<Transport> accepted) throws IOException {
        Listener l = listen(serverOptions(server).build(), t -> {
            EventLog log = new EventLog(true);
            logs.add(log);
            accepted.add(t);
            return log;
        });
        return Connector.connect(pool, l.address(), TransportOptions.builder().tls(client.apply(l.address())).build(),
                new EventLog(false));
    }

    @Test
    void anApplicationProtocolSetOnTheServerIsRequiredOfEveryClient() throws Exception {
        TlsOptions server = serverTls().applicationProtocols("sunrpc");
        List<EventLog> logs = new CopyOnWriteArrayList<>();
        List<Transport> accepted = new CopyOnWriteArrayList<>();
        Transport agreed = connectTls(server, a -> clientTls(a).applicationProtocols("sunrpc"), logs, accepted)
                .get(10, TimeUnit.SECONDS);
        assertEquals("TLSv1.3", agreed.tlsSession().getProtocol());
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1
                && accepted.get(0).tlsSession() != null);

        // A client that offers another protocol is refused during the handshake (no_application_protocol).
        logs.clear();
        ExecutionException e = assertThrows(ExecutionException.class, () -> connectTls(server,
                a -> clientTls(a).applicationProtocols("h2"), logs, new CopyOnWriteArrayList<>())
                .get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause());
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.size() == 1 && logs.get(0).cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), logs.get(0).disconnects);

        // One that offers none has finished its side of a TLS 1.3 handshake before the server can object; the
        // server then closes at once, having served nothing.
        logs.clear();
        CompletableFuture<Transport> none = connectTls(server, this::clientTlsOf, logs, new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.size() == 1 && logs.get(0).cleanups.get() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), logs.get(0).disconnects);
        assertTrue(String.valueOf(logs.get(0).errors).contains("no application protocol agreed"), () ->
                "errors: " + logs.get(0).errors);
        try {
            Transport t = none.get(10, TimeUnit.SECONDS);
            t.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            await().atMost(Duration.ofSeconds(10)).until(() -> !t.isOpen());
        } catch (ExecutionException refused) {
            assertInstanceOf(SSLException.class, refused.getCause());
        }
        assertEquals(0L, logs.get(0).bytes.get());
    }

    private TlsOptions clientTlsOf(SocketAddress a) {
        return clientTls(a);
    }

    @Test
    void aServerLimitedToTls13RefusesATls12Client() throws Exception {
        List<EventLog> logs = new CopyOnWriteArrayList<>();
        ExecutionException e = assertThrows(ExecutionException.class, () -> connectTls(serverTls().protocols("TLSv1.3"),
                a -> clientTls(a).protocols("TLSv1.2"), logs, new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause());
        assertThrows(IllegalArgumentException.class, () -> serverTls().protocols("TLSv9"));
        assertThrows(IllegalArgumentException.class, () -> serverTls().applicationProtocols(""));
    }

    @Test
    void aWantedClientCertificateIsInTheSessionAndAClientWithoutOneStillConnects() throws Exception {
        TlsOptions server = serverTls().clientAuth(TlsOptions.ClientAuth.WANT);
        List<Transport> accepted = new CopyOnWriteArrayList<>();
        connectTls(server, a -> TlsOptions.client(TlsContexts.get0().mutualClient, "localhost", -1),
                new CopyOnWriteArrayList<>(), accepted).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1 && accepted.get(0).tlsSession() != null);
        java.security.cert.Certificate[] chain = accepted.get(0).tlsSession().getPeerCertificates();
        assertEquals("CN=localhost", ((java.security.cert.X509Certificate) chain[0]).getSubjectX500Principal().getName());

        accepted.clear();
        connectTls(server, this::clientTlsOf, new CopyOnWriteArrayList<>(), accepted).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1 && accepted.get(0).tlsSession() != null);
        assertThrows(javax.net.ssl.SSLPeerUnverifiedException.class,
                () -> accepted.get(0).tlsSession().getPeerCertificates());
    }
}
