package io.ripcord.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.core.Poller;
import io.ripcord.core.PollerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path of one accepted connection from accept to its first message (GlusterFS's
 * {@code socket_server_event_handler}): what the listener does on its own poller, and the listening socket per
 * poller of {@link ListenerOptions#reusePort()}.
 */
class AcceptPathTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private EventPool pool;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    private EventPool pool(int pollers) {
        pool = EventPool.create(EventPoolOptions.builder().pollers(pollers).threadNamePrefix("accept")
                .blockedPollerThreshold(Duration.ZERO).build()).start();
        return pool;
    }

    private Listener listen(ListenerOptions options, Acceptor acceptor) throws IOException {
        Listener l = Listener.bind(pool, LOOPBACK, options, acceptor);
        toClose.add(l);
        return l;
    }

    /**
     * Holds {@code poller} in a task while {@code client} connects and sends {@code bytes}, until the kernel holds
     * them in the accepted-but-not-yet-accepted socket; the poller then finds connection and data at once.
     */
    private Socket connectAndSendWhileHeld(Poller poller, Listener l, byte[] bytes) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        poller.execute(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            Socket s = new Socket();
            toClose.add(s);
            s.connect(l.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            int server = ((InetSocketAddress) l.address()).getPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiveQueue(server, s.getLocalPort()) == bytes.length);
            return s;
        } finally {
            release.countDown();
        }
    }

    /** The bytes waiting in the receive queue of the server's end of (server port, client port), from /proc. */
    private static long receiveQueue(int serverPort, int clientPort) throws IOException {
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5 || !f[1].contains(":") || !f[4].contains(":")) {
                    continue;
                }
                if (port(f[1]) == serverPort && port(f[2]) == clientPort) {
                    return Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                }
            }
        }
        return -1;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }

    @Test
    void aMessageAlreadyInTheSocketIsDeliveredInTheRoundThatAcceptsIt() throws Exception {
        Poller poller = pool(1).pollers().get(0);
        CompletableFuture<PollerMetrics> atAccept = new CompletableFuture<>();
        CompletableFuture<PollerMetrics> atMessage = new CompletableFuture<>();
        Listener l = listen(ListenerOptions.defaults(), t -> new TransportListener() {
            @Override
            public void onAccept(Transport tr) {
                atAccept.complete(poller.metrics());
            }

            @Override
            public void onMessage(Transport tr, ByteBuffer message) {
                atMessage.complete(poller.metrics());
                tr.send(message);
            }
        });
        byte[] call = "first".getBytes(StandardCharsets.US_ASCII);
        Socket s = connectAndSendWhileHeld(poller, l, call);
        assertArrayEquals(call, s.getInputStream().readNBytes(call.length));
        PollerMetrics accepted = atAccept.get(10, TimeUnit.SECONDS);
        PollerMetrics delivered = atMessage.get(10, TimeUnit.SECONDS);
        assertEquals(accepted.selects(), delivered.selects(), "a select round between accept and the first message");
        assertEquals(accepted.tasks(), delivered.tasks(), "a task queued between accept and the first message");
    }

    @Test
    void aPauseAskedForInOnAcceptHoldsEvenTheFirstMessage() throws Exception {
        Poller poller = pool(1).pollers().get(0);
        List<String> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<Transport> accepted = new CompletableFuture<>();
        Listener l = listen(ListenerOptions.defaults(), t -> new TransportListener() {
            @Override
            public void onAccept(Transport tr) {
                tr.pauseReading();
                accepted.complete(tr);
            }

            @Override
            public void onMessage(Transport tr, ByteBuffer message) {
                messages.add(StandardCharsets.US_ASCII.decode(message).toString());
            }
        });
        connectAndSendWhileHeld(poller, l, "held".getBytes(StandardCharsets.US_ASCII));
        Transport t = accepted.get(10, TimeUnit.SECONDS);
        // The accepting round is over once a task queued after it has run; the data was there all along.
        CompletableFuture<Void> after = new CompletableFuture<>();
        poller.execute(() -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), messages);
        t.resumeReading();
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.equals(List.of("held")));
    }

    @Test
    void everyAcceptedSocketHasEveryOptionAskedForThoughOnlyTheMissingOnesAreSet() throws Exception {
        pool(1);
        TransportOptions defaults = TransportOptions.defaults();
        TransportOptions custom = TransportOptions.builder().tcpNoDelay(false).keepAlive(true, 30, 3, 4).build();
        TransportOptions off = TransportOptions.builder().keepAlive(false).build();
        for (TransportOptions o : List.of(defaults, custom, off)) {
            List<List<Object>> seen = new CopyOnWriteArrayList<>();
            Listener l = listen(ListenerOptions.builder().transportOptions(o).build(), t -> {
                SocketChannel ch = ((SocketTransport) t).channel;
                try {
                    seen.add(List.of(ch.getOption(StandardSocketOptions.TCP_NODELAY),
                            ch.getOption(StandardSocketOptions.SO_KEEPALIVE),
                            ch.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
                            ch.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                            ch.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return (tr, m) -> { };
            });
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket()) {
                    s.connect(l.address(), 5000);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
            for (List<Object> options : seen) {
                assertEquals(o.tcpNoDelay(), options.get(0), "TCP_NODELAY of " + o);
                assertEquals(o.keepAlive(), options.get(1), "SO_KEEPALIVE of " + o);
                if (o.keepAlive()) {
                    assertEquals(List.of(o.keepAliveIdleSeconds(), o.keepAliveIntervalSeconds(), o.keepAliveCount()),
                            options.subList(2, 5), "keepalive idle, interval and count of " + o);
                }
            }
            l.close();
        }
    }

    @Test
    void theListeningSocketCarriesTheKeepaliveTimesItsConnectionsInherit() throws Exception {
        pool(1);
        TransportOptions custom = TransportOptions.builder().keepAlive(true, 30, 3, 4).build();
        Listener l = listen(ListenerOptions.builder().transportOptions(custom).build(), t -> (tr, m) -> { });
        ServerSocketChannel server = l.socket(0);
        assertEquals(List.of(30, 3, 4), List.of(server.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
                server.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                server.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)));

        ServerSocketChannel fresh = ServerSocketChannel.open();
        toClose.add(fresh);
        Listener off = listen(ListenerOptions.builder()
                .transportOptions(TransportOptions.builder().keepAlive(false).build()).build(), t -> (tr, m) -> { });
        ServerSocketChannel untouched = off.socket(0);
        assertEquals(fresh.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
                untouched.getOption(ExtendedSocketOptions.TCP_KEEPIDLE), "keepalive off leaves the system's time");
    }

    @Test
    void aListenerOnAnIpv4AddressHasAnIpv4SocketAndOnTheWildcardTheJdkDefault() throws Exception {
        pool(1);
        Listener v4 = listen(ListenerOptions.defaults(), t -> (tr, m) -> { });
        int port = ((InetSocketAddress) v4.address()).getPort();
        assertEquals(List.of(true, false), List.of(listening("/proc/net/tcp", port), listening("/proc/net/tcp6", port)),
                "127.0.0.1:" + port + " in /proc/net/tcp, not tcp6");
        assertTrue(SocketConfig.isSpecificIpv4(new InetSocketAddress("127.0.0.1", 1)));
        assertFalse(SocketConfig.isSpecificIpv4(new InetSocketAddress(1)), "the wildcard keeps the JDK's dual stack");
        assertFalse(SocketConfig.isSpecificIpv4(new InetSocketAddress("::1", 1)));
        assertFalse(SocketConfig.isSpecificIpv4(InetSocketAddress.createUnresolved("localhost", 1)));
    }

    /** Whether a socket listens on {@code port} in {@code table} (/proc/net/tcp or tcp6; state 0A). */
    private static boolean listening(String table, int port) throws IOException {
        Path p = Path.of(table);
        if (!Files.isReadable(p)) {
            return false;
        }
        for (String line : Files.readAllLines(p)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].contains(":") && port(f[1]) == port && "0A".equals(f[3])) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withReusePortEveryPollerAcceptsOnItsOwnSocket() throws Exception {
        pool(2);
        Set<Poller> owners = ConcurrentHashMap.newKeySet();
        Listener l = listen(ListenerOptions.builder().reusePort(true).build(), t -> new TransportListener() {
            @Override
            public void onMessage(Transport tr, ByteBuffer message) {
                owners.add(tr.poller());
                tr.send(message);
            }
        });
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        // The kernel spreads connections by a hash of their addresses: 64 of them all on one socket would be a
        // 1 in 2^63 chance.
        for (int i = 0; i < 64; i++) {
            try (Socket s = new Socket()) {
                s.connect(l.address(), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(hello);
                InputStream in = s.getInputStream();
                assertArrayEquals(hello, in.readNBytes(hello.length));
            }
        }
        assertEquals(Set.copyOf(pool.pollers()), owners);
        assertEquals(64, l.acceptedCount());
        await().atMost(Duration.ofSeconds(10)).until(() -> l.connectionCount() == 0);
    }

    @Test
    void aReusePortListenerStopsAcceptingOnEverySocketWhenClosed() throws Exception {
        pool(2);
        Listener l = Listener.bind(pool, LOOPBACK, ListenerOptions.builder().reusePort(true).build(),
                t -> (tr, m) -> tr.send(m));
        InetSocketAddress address = (InetSocketAddress) l.address();
        l.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> refused(address));
        for (int i = 0; i < 16; i++) {
            assertTrue(refused(address), "a socket of the closed listener still accepts");
        }
    }

    private static boolean refused(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void reusePortIsRefusedForAUnixDomainAddress(@TempDir Path dir) {
        pool(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Listener.bind(pool,
                UnixDomainSocketAddress.of(dir.resolve("s")), ListenerOptions.builder().reusePort(true).build(),
                t -> (tr, m) -> { }));
        assertTrue(e.getMessage().contains("reusePort"), e.getMessage());
    }
}
