package io.ripcord.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Transport#startTls} on live connections, both sides, over loopback: plaintext first, then TLS on the
 * same socket, with what the peer sent right behind the switch point handled as records (never as plaintext).
 * Messages are length-prefixed frames ({@link LengthFieldFrameDecoder}).
 */
class StartTlsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final SSLContext serverContext = TlsContexts.get0().server;
    private final SSLContext clientContext = TlsContexts.get0().client;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /**
     * Where the blocking JDK peers run: not the common fork-join pool, which runs the TLS engines' delegated
     * tasks by default (with one worker on a 2-core machine, a peer blocked there would hold them up).
     */
    private final ExecutorService peers = Executors.newCachedThreadPool();
    private EventPool pool;

    @BeforeEach
    void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("starttls").build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        peers.shutdownNow();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private static TransportOptions framed() {
        return TransportOptions.builder().decoder(() -> new LengthFieldFrameDecoder(1 << 16)).build();
    }

    private static byte[] frame(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    private static String text(ByteBuffer frame) {
        return StandardCharsets.UTF_8.decode(frame).toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static String readFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] b = new byte[d.readInt()];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private TlsOptions clientTls(int port) {
        return TlsOptions.client(clientContext, "localhost", port);
    }

    /** Completes {@code to} as {@code from} completes. */
    private static <T> void pipe(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((r, e) -> {
            if (e == null) {
                to.complete(r);
            } else {
                to.completeExceptionally(e);
            }
        });
    }

    /**
     * The server side of a STARTTLS protocol: on the frame {@code STARTTLS} it optionally answers {@code OK} in
     * the clear, starts TLS, and optionally sends {@code early} at once (to be held until the handshake is
     * done); every other frame is echoed.
     */
    private static final class SwitchingServer implements TransportListener {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<DisconnectCause> disconnects = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<Transport> tls = new CompletableFuture<>();
        private final TlsOptions options;
        private final boolean answerOk;
        private final boolean sendEarly;
        volatile Transport transport;

        SwitchingServer(TlsOptions options, boolean answerOk, boolean sendEarly) {
            this.options = options;
            this.answerOk = answerOk;
            this.sendEarly = sendEarly;
        }

        @Override
        public void onMessage(Transport t, ByteBuffer message) {
            transport = t;
            String s = text(message);
            frames.add(s);
            if (s.equals("STARTTLS")) {
                if (answerOk) {
                    t.send(ByteBuffer.wrap(frame("OK")));
                }
                pipe(t.startTls(options), tls);
                if (sendEarly) {
                    t.send(ByteBuffer.wrap(frame("early")));
                }
            } else {
                t.send(ByteBuffer.wrap(frame(s)));
            }
        }

        @Override
        public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
            disconnects.add(cause);
            if (error != null) {
                errors.add(error);
            }
        }
    }

    /** A listener whose ACCEPT waits until the test has written, so the server's first read holds it all. */
    private Listener listen(TransportListener server, CountDownLatch written) throws IOException {
        Listener l = Listener.bind(pool, LOOPBACK, ListenerOptions.builder().transportOptions(framed()).build(), t -> {
            written.await(10, TimeUnit.SECONDS);
            return server;
        });
        toClose.add(l);
        return l;
    }

    /** What a test sends before the server reads anything, given the connected socket. */
    private interface FirstWrite {
        byte[] bytes(Socket s) throws IOException;
    }

    /**
     * Connects a plain socket to a listener serving {@code server} and writes {@code first} in one write before
     * the server's ACCEPT returns, so that the server's first read holds all of it.
     */
    private Socket connectAndWrite(SwitchingServer server, FirstWrite first) throws IOException {
        CountDownLatch written = new CountDownLatch(1);
        Listener l = listen(server, written);
        Socket s = new Socket();
        toClose.add(s);
        s.connect(l.address(), 5000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(first.bytes(s));
        written.countDown();
        return s;
    }

    @Test
    void aClientHelloInTheSameSegmentAsTheSwitchRequestIsTheHandshakesFirstRecord() throws Exception {
        SwitchingServer server = new SwitchingServer(TlsOptions.server(serverContext), false, false);
        EngineClient[] client = new EngineClient[1];
        // The request and the client's first flight leave in one write: one read on the server holds both.
        connectAndWrite(server, s -> {
            client[0] = new EngineClient(clientContext, s);
            return concat(frame("STARTTLS"), client[0].firstFlight());
        });
        client[0].finishHandshake();
        client[0].send(frame("hello over TLS"));
        assertEquals("hello over TLS", client[0].receiveFrame());

        Transport t = server.tls.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("STARTTLS", "hello over TLS"), server.frames);
        assertNotNull(t.tlsSession(), "the session is there once the handshake is done");
        assertEquals("TLSv1.3", t.tlsSession().getProtocol());
    }

    @Test
    void plaintextPipelinedBehindTheSwitchIsNeverDeliveredAndEndsTheConnection() throws Exception {
        SwitchingServer server = new SwitchingServer(TlsOptions.server(serverContext), false, false);
        Socket s = connectAndWrite(server, sock -> concat(frame("STARTTLS"), frame("SECRET, in the clear")));

        ExecutionException e = assertThrows(ExecutionException.class, () -> server.tls.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), server.disconnects);
        assertEquals(List.of("STARTTLS"), server.frames, "nothing behind the switch is served in the clear");
        assertInstanceOf(SSLException.class, server.errors.get(0));
        try {
            // Whatever alert the server managed to send, then the end of the stream (or a reset).
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                continue;
            }
        } catch (IOException expected) {
            // A reset is as good as an end of stream here.
        }
    }

    @Test
    void twoRipcordEndsSwitchAfterAPlaintextAnswerAndWhatWasSentMeanwhileArrivesEncrypted() throws Exception {
        TlsOptions serverTls = TlsOptions.server(serverContext).protocols("TLSv1.3").applicationProtocols("sunrpc");
        SwitchingServer server = new SwitchingServer(serverTls, true, true);
        Listener l = Listener.bind(pool, LOOPBACK, ListenerOptions.builder().transportOptions(framed()).build(),
                t -> server);
        toClose.add(l);
        int port = ((InetSocketAddress) l.address()).getPort();
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Transport> clientTls = new CompletableFuture<>();
        TransportListener client = (t, m) -> {
            String s = text(m);
            received.add(s);
            if (s.equals("OK")) {
                pipe(t.startTls(clientTls(port).protocols("TLSv1.3").applicationProtocols("sunrpc")), clientTls);
            }
        };
        Transport t = Connector.connect(pool, l.address(), framed(), client).get(10, TimeUnit.SECONDS);
        assertNull(t.tlsSession());
        t.send(ByteBuffer.wrap(frame("STARTTLS")));
        clientTls.get(10, TimeUnit.SECONDS);
        t.send(ByteBuffer.wrap(frame("a")));
        t.send(ByteBuffer.wrap(frame("b")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
        assertEquals(List.of("OK", "early", "a", "b"), received);
        assertEquals(List.of("STARTTLS", "a", "b"), server.frames);
        assertEquals("TLSv1.3", t.tlsSession().getProtocol());
        assertNotNull(server.tls.get(10, TimeUnit.SECONDS).tlsSession());
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.EOF), server.disconnects);
        assertEquals(List.of(), server.errors, "the client's close sent close_notify: no truncation");
    }

    @Test
    void aClientTreatsBytesRightBehindTheAnswerAsRecordsAndNeverDeliversThem() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = raw.accept()) {
                    s.setSoTimeout(20_000);
                    assertEquals("STARTTLS", readFrame(s.getInputStream()));
                    s.getOutputStream().write(concat(frame("OK"), frame("LEAK, in the clear")));
                    s.getInputStream().read(); // until the client gives up
                } catch (IOException e) {
                    // the client reset the connection
                }
            }, peers);
            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Transport> tls = new CompletableFuture<>();
            List<DisconnectCause> causes = new CopyOnWriteArrayList<>();
            int port = raw.getLocalPort();
            TransportListener client = new TransportListener() {
                @Override
                public void onMessage(Transport t, ByteBuffer m) {
                    received.add(text(m));
                    pipe(t.startTls(clientTls(port)), tls);
                }

                @Override
                public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
                    causes.add(cause);
                }
            };
            Transport t = Connector.connect(pool, raw.getLocalSocketAddress(), framed(), client)
                    .get(10, TimeUnit.SECONDS);
            t.send(ByteBuffer.wrap(frame("STARTTLS")));
            ExecutionException e = assertThrows(ExecutionException.class, () -> tls.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLException.class, e.getCause());
            await().atMost(Duration.ofSeconds(10)).until(() -> causes.size() == 1);
            assertEquals(List.of(DisconnectCause.PROTOCOL), causes);
            assertEquals(List.of("OK"), received);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientSwitchesOnTheSameSocketWithAJdkServer() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = raw.accept()) {
                    s.setSoTimeout(20_000);
                    String request = readFrame(s.getInputStream());
                    s.getOutputStream().write(frame("OK"));
                    SSLSocket tls = (SSLSocket) serverContext.getSocketFactory().createSocket(s, null, true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    String ping = readFrame(tls.getInputStream());
                    tls.getOutputStream().write(frame("pong to " + ping));
                    tls.getOutputStream().flush();
                    readFrame(tls.getInputStream());
                    return request;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, peers);
            List<String> received = new CopyOnWriteArrayList<>();
            int port = raw.getLocalPort();
            CompletableFuture<Transport> tls = new CompletableFuture<>();
            TransportListener client = (t, m) -> {
                String s = text(m);
                received.add(s);
                if (s.equals("OK")) {
                    t.startTls(clientTls(port)).thenAccept(tls::complete);
                }
            };
            Transport t = Connector.connect(pool, raw.getLocalSocketAddress(), framed(), client)
                    .get(10, TimeUnit.SECONDS);
            t.send(ByteBuffer.wrap(frame("STARTTLS")));
            tls.get(10, TimeUnit.SECONDS);
            t.send(ByteBuffer.wrap(frame("ping")));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertEquals(List.of("OK", "pong to ping"), received);
            t.send(ByteBuffer.wrap(frame("bye")));
            assertEquals("STARTTLS", served.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void startTlsTwiceOrOnAClosedConnectionFails() throws Exception {
        SwitchingServer server = new SwitchingServer(TlsOptions.server(serverContext), true, false);
        Listener l = Listener.bind(pool, LOOPBACK, ListenerOptions.builder().transportOptions(framed()).build(),
                t -> server);
        toClose.add(l);
        int port = ((InetSocketAddress) l.address()).getPort();
        CompletableFuture<Transport> clientTls = new CompletableFuture<>();
        TransportListener client = (t, m) -> t.startTls(clientTls(port)).thenAccept(clientTls::complete);
        Transport t = Connector.connect(pool, l.address(), framed(), client).get(10, TimeUnit.SECONDS);
        t.send(ByteBuffer.wrap(frame("STARTTLS")));
        clientTls.get(10, TimeUnit.SECONDS);
        ExecutionException twice = assertThrows(ExecutionException.class,
                () -> t.startTls(clientTls(port)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, twice.getCause());
        assertTrue(twice.getCause().getMessage().contains("runs TLS already"), twice.getCause().getMessage());
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isOpen() && server.disconnects.size() == 1);
        Transport plain = Connector.connect(pool, l.address(), framed(), (tr, m) -> { }).get(10, TimeUnit.SECONDS);
        plain.close();
        ExecutionException closed = assertThrows(ExecutionException.class,
                () -> plain.startTls(clientTls(port)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, closed.getCause());
    }
}
