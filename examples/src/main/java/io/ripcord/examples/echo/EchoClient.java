package io.ripcord.examples.echo;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.Connector;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.TlsOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo load generator on Ripcord's own {@link Connector}. Each connection keeps {@link EchoLoad#depth()}
 * messages in flight and sends the next one as soon as one has fully come back. Message {@code n} of
 * connection {@code c} carries a pattern made from {@code c} and {@code n} in every 8 bytes, and every echoed
 * byte is compared with what was sent, so a lost, duplicated, reordered or corrupted byte is a mismatch (the
 * connection is then aborted: the stream can no longer be trusted).
 */
public final class EchoClient {

    private static final Logger log = LoggerFactory.getLogger(EchoClient.class);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int SCRATCH_MAX = 16 * 1024;

    private final EchoLoad load;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final java.util.concurrent.atomic.AtomicReference<String> firstMismatch =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger live = new AtomicInteger();
    /** Echoes completed per connection, published with a cheap release store, to find stalled ones. */
    private final AtomicLongArray echoed;
    private final CountDownLatch allGone = new CountDownLatch(1);
    private volatile boolean running = true;

    private EchoClient(EchoLoad load) {
        this.load = load;
        this.echoed = new AtomicLongArray(load.connections());
    }

    /**
     * Runs {@code load} to the end and returns what it measured. Blocks; not from a poller.
     *
     * @param progress where a progress line goes every second, or {@code null}
     */
    public static EchoResult run(EchoLoad load, PrintStream progress) throws InterruptedException {
        return new EchoClient(load).run(progress);
    }

    /** Byte {@code k} of message {@code seq} on connection {@code conn}: the pattern the echo must return. */
    static void fill(ByteBuffer b, long conn, long seq, int size) {
        long base = (conn << 40) ^ seq;
        int k = 0;
        for (; k + 8 <= size; k += 8) {
            b.putLong(k, base + (k >>> 3) * GOLDEN);
        }
        long tail = base + (k >>> 3) * GOLDEN;
        for (int i = 0; k < size; k++, i++) {
            b.put(k, (byte) (tail >>> (i * 8)));
        }
    }

    private EchoResult run(PrintStream progress) throws InterruptedException {
        TlsOptions tls = null;
        if (load.tls()) {
            int port = load.address() instanceof InetSocketAddress ? ((InetSocketAddress) load.address()).getPort() : -1;
            tls = TlsOptions.client(DemoTls.context(), "localhost", port);
        }
        TransportOptions options = TransportOptions.builder()
                .tcpNoDelay(true)
                .connectTimeout(Duration.ofSeconds(10))
                .tls(tls)
                .build();
        EventPool pool = EventPool.create(EventPoolOptions.builder()
                .pollers(load.pollers())
                .threadNamePrefix("echo-client")
                .build()).start();
        try {
            connectAll(pool, options);
            return measure(progress);
        } finally {
            running = false;
            try {
                pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("the client pool did not stop in time: {}", e.toString());
            }
        }
    }

    private void connectAll(EventPool pool, TransportOptions options) throws InterruptedException {
        List<CompletableFuture<?>> pending = new ArrayList<>(load.connections());
        for (int i = 0; i < load.connections(); i++) {
            Connection c = new Connection(i);
            live.incrementAndGet();
            pending.add(Connector.connect(pool, load.address(), options, c).handle((t, err) -> {
                if (err != null) {
                    echoed.set((int) c.id, -1);
                    log.warn("connection {} to {} failed: {}", c.id, load.address(), err.toString());
                    failures.increment();
                    gone();
                }
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every connection was made within 60 s: {}", e.toString());
        }
    }

    private EchoResult measure(PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        long warmupEnd = start + load.warmup().toNanos();
        long end = warmupEnd + load.duration().toNanos();
        boolean warming = load.warmup().toNanos() > 0;
        long measureStart = start;
        long[] atStart = snapshot();
        if (!warming) {
            mark(progress, "measuring");
        }
        long lastTick = start;
        long lastCount = 0;
        int second = 0;
        while (true) {
            long now = System.nanoTime();
            if (warming && now >= warmupEnd) {
                recorder.getIntervalHistogram();
                atStart = snapshot();
                measureStart = System.nanoTime();
                // Measure the full duration from the reset, however late this thread woke for it.
                end = measureStart + load.duration().toNanos();
                warming = false;
                mark(progress, "measuring");
            }
            if (now >= end) {
                break;
            }
            long nextTick = lastTick + TimeUnit.SECONDS.toNanos(1);
            long wait = Math.min(nextTick, warming ? warmupEnd : end) - now;
            if (allGone.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                log.warn("every connection has ended; stopping early");
                break;
            }
            now = System.nanoTime();
            if (now >= nextTick) {
                long count = completed.sum();
                second++;
                if (progress != null) {
                    progress.printf(Locale.ROOT, "%3d s: %,.0f msgs/s%s%n", second,
                            (count - lastCount) * 1e9 / (now - lastTick), warming ? " (warmup)" : "");
                    progress.flush();
                }
                lastCount = count;
                lastTick = now;
            }
        }
        running = false;
        Histogram h = recorder.getIntervalHistogram();
        mark(progress, "measured");
        long elapsed = Math.max(1, System.nanoTime() - measureStart);
        long[] atEnd = snapshot();
        int stalled = 0;
        for (int i = 0; i < atEnd.length; i++) {
            if (atEnd[i] == atStart[i] && atEnd[i] >= 0) {
                stalled++;
            }
        }
        if (stalled > 0) {
            // Stuck, or starved by an unfair server: either way worth a look, though not an error by itself
            // (a short window against a slow server can leave a depth-1 connection waiting throughout).
            log.warn("{} open connections completed no echo during the measured {} ms", stalled,
                    TimeUnit.NANOSECONDS.toMillis(elapsed));
        }
        return new EchoResult(load, h.getTotalCount(), elapsed, h, mismatches.sum(), failures.sum(), stalled,
                firstMismatch.get());
    }

    /**
     * A line on the progress stream where the measured window starts ({@code measuring}) and ends
     * ({@code measured}): a benchmark driver reads the server's CPU time at these two lines.
     */
    private static void mark(PrintStream progress, String what) {
        if (progress != null) {
            progress.println(what);
            progress.flush();
        }
    }

    private long[] snapshot() {
        long[] v = new long[echoed.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = echoed.get(i);
        }
        return v;
    }

    private void gone() {
        if (live.decrementAndGet() == 0) {
            allGone.countDown();
        }
    }

    /** One connection's state; touched only on its owner poller. */
    private final class Connection implements TransportListener {
        final long id;
        final int size = load.size();
        final int depth = load.depth();
        final byte[][] sent = new byte[depth][size];
        final ByteBuffer[] out = new ByteBuffer[depth];
        final long[] sentAt = new long[depth];
        final byte[] scratch = new byte[Math.min(size, SCRATCH_MAX)];
        long nextToSend;
        long nextToReceive;
        int offset;
        boolean failed;

        Connection(long id) {
            this.id = id;
            for (int i = 0; i < depth; i++) {
                out[i] = ByteBuffer.wrap(sent[i]).order(ByteOrder.LITTLE_ENDIAN);
            }
        }

        @Override
        public void onConnect(Transport transport) {
            for (int i = 0; i < depth; i++) {
                sendNext(transport);
            }
        }

        private void sendNext(Transport transport) {
            int slot = (int) (nextToSend % depth);
            ByteBuffer b = out[slot];
            fill(b, id, nextToSend, size);
            b.clear();
            nextToSend++;
            sentAt[slot] = System.nanoTime();
            transport.send(b);
        }

        @Override
        public void onMessage(Transport transport, ByteBuffer message) {
            int pos = message.position();
            int limit = message.limit();
            while (pos < limit && !failed) {
                if (nextToReceive == nextToSend) {
                    mismatch(transport, "an extra " + (limit - pos) + " bytes arrived with no message in flight");
                    break;
                }
                int slot = (int) (nextToReceive % depth);
                int n = Math.min(Math.min(limit - pos, size - offset), scratch.length);
                message.get(pos, scratch, 0, n);
                int at = Arrays.mismatch(scratch, 0, n, sent[slot], offset, offset + n);
                if (at >= 0) {
                    mismatch(transport, String.format(Locale.ROOT,
                            "message %d byte %d: expected 0x%02x, got 0x%02x%s", nextToReceive, offset + at,
                            sent[slot][offset + at] & 0xff, scratch[at] & 0xff,
                            nextToReceive == 0 && offset == 0 && at == 0 && tlsRecord(scratch, n)
                                    ? " (a TLS record: the server speaks TLS; use --tls)" : ""));
                    break;
                }
                pos += n;
                offset += n;
                if (offset == size) {
                    recorder.recordValue(System.nanoTime() - sentAt[slot]);
                    completed.increment();
                    offset = 0;
                    nextToReceive++;
                    echoed.lazySet((int) id, nextToReceive);
                    if (running) {
                        sendNext(transport);
                    }
                }
            }
            message.position(limit);
        }

        /** Whether {@code b} starts like a TLS record: an alert or a handshake, version 3.x (RFC 8446 5.1). */
        private static boolean tlsRecord(byte[] b, int n) {
            return n >= 3 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 0x03 && b[2] >= 0x01 && b[2] <= 0x04;
        }

        private void mismatch(Transport transport, String what) {
            failed = true;
            echoed.set((int) id, -1);
            mismatches.increment();
            firstMismatch.compareAndSet(null, "connection " + id + ": " + what);
            log.error("connection {}: echo mismatch: {}", id, what);
            transport.abort();
        }

        @Override
        public void onDisconnect(Transport transport, DisconnectCause cause, Throwable error) {
            if (running && !failed) {
                failed = true;
                echoed.set((int) id, -1);
                failures.increment();
                log.warn("connection {} ended during the run: {} {}", id, cause, error == null ? "" : error.toString());
            }
            gone();
        }
    }
}
