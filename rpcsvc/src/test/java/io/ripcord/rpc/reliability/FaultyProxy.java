package io.ripcord.rpc.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that injects faults, test code only. Each connection it accepts gets, from a
 * seeded random, a way to forward (plainly, with delays of up to 2 ms per chunk, or in 1-byte writes) and an
 * end: after a random number of bytes (500 to 8,500, in either direction, so the cut falls anywhere, even
 * inside a record header) it is dropped (FIN both ways) or reset (RST both ways). Blocking I/O, two threads
 * per connection.
 */
final class FaultyProxy implements AutoCloseable {

    enum Style { PLAIN, DELAY, ONE_BYTE_WRITES }

    private final ServerSocket server;
    private final SocketAddress target;
    private final long seed;
    private final AtomicBoolean closed = new AtomicBoolean();
    final AtomicInteger connections = new AtomicInteger();
    /** Connections by style: plain, delayed, 1-byte writes. */
    final AtomicLong[] styles = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    final AtomicLong resets = new AtomicLong();

    FaultyProxy(SocketAddress target, long seed) throws IOException {
        this.target = target;
        this.seed = seed;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    SocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int n = connections.incrementAndGet();
            // SplittableRandom mixes its seed: java.util.Random's first draws from nearby seeds are alike.
            SplittableRandom random = new SplittableRandom(seed * 1_000_003 + n);
            Style style = Style.values()[random.nextInt(Style.values().length)];
            boolean reset = random.nextBoolean();
            styles[style.ordinal()].incrementAndGet();
            if (reset) {
                resets.incrementAndGet();
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                long budget = 500 + random.nextInt(8000);
                Link link = new Link(client, upstream, style, reset, budget, random.nextLong());
                start(() -> link.pump(client, upstream), "proxy-up-" + n);
                start(() -> link.pump(upstream, client), "proxy-down-" + n);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One proxied connection: both sockets, its faults and the bytes left before it ends. */
    private static final class Link {
        private final Socket a;
        private final Socket b;
        private final Style style;
        private final boolean reset;
        private final AtomicLong budget;
        private final long delaySeed;
        private final AtomicBoolean ended = new AtomicBoolean();

        Link(Socket a, Socket b, Style style, boolean reset, long budget, long delaySeed) {
            this.a = a;
            this.b = b;
            this.style = style;
            this.reset = reset;
            this.budget = new AtomicLong(budget);
            this.delaySeed = delaySeed;
        }

        void pump(Socket from, Socket to) {
            SplittableRandom delays = new SplittableRandom(delaySeed ^ from.getLocalPort());
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long left = budget.addAndGet(-n);
                    if (left < 0) {
                        // Forward the part of this chunk within the budget, then cut.
                        out.write(buf, 0, (int) Math.max(0, n + left));
                        out.flush();
                        end(reset);
                        return;
                    }
                    if (style == Style.ONE_BYTE_WRITES) {
                        for (int i = 0; i < n; i++) {
                            out.write(buf[i]);
                            out.flush();
                        }
                    } else {
                        if (style == Style.DELAY) {
                            // The fault itself (a slow path), not a test waiting for something.
                            LockSupport.parkNanos(delays.nextInt(2_000_000));
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
                // An orderly end on one side: pass it on.
                to.shutdownOutput();
            } catch (IOException e) {
                end(true);
            }
        }

        void end(boolean reset) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            for (Socket s : new Socket[] {a, b}) {
                try {
                    if (reset) {
                        s.setSoLinger(true, 0);
                    }
                } catch (IOException e) {
                    // already closed
                }
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        closed.set(true);
        server.close();
    }
}
